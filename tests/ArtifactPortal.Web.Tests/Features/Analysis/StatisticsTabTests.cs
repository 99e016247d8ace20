using System.Text;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Web.Features.Analysis;
using ArtifactPortal.Web.Features.Artifacts;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Analysis;

public sealed class StatisticsTabTests : ArtifactPageTestBase
{
    private const string Csv = "id,score,label\n1,0.5,a\n2,,b\n3,1.5,a\n4,2.5,\n5,,a\n";

    [Fact]
    public async Task StatisticsTab_AfterTheJob_ShowsOneRowPerColumnWithTypeNullsAndMean()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        await CommitAsync(1, ("data.csv", Csv));
        await Services.GetRequiredService<QueuedAnalysisJobs>().RunAllAsync();

        var tab = Context.Render<StatisticsTab>(p => p.Add(t => t.Slug, Slug).Add(t => t.ArtifactName, "data").Add(t => t.VersionNumber, 1));

        tab.WaitForAssertion(() => Assert.Equal(3, tab.FindAll("[data-testid=column-row]").Count));
        Assert.Equal(["id", "score", "label"], tab.FindAll("[data-testid=column-name]").Select(c => c.TextContent.Trim()));
        var score = tab.FindAll("[data-testid=column-row]")[1];
        Assert.Equal("float", score.QuerySelector("[data-testid=column-type]")!.TextContent);
        Assert.Equal("40", score.QuerySelector("[role=meter]")!.GetAttribute("aria-valuenow"));
        Assert.Contains("40%", score.QuerySelector("[data-testid=nulls-bar]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1.5", score.QuerySelector("[data-testid=column-mean]")!.TextContent.Trim());
        Assert.Contains("5 rows", tab.Find("[data-testid=statistics-summary]").TextContent, StringComparison.Ordinal);

        score.Click();
        var detail = tab.WaitForElement("[data-testid=column-detail]");
        Assert.Equal("score", detail.QuerySelector("[data-testid=column-detail-name]")!.TextContent);
        Assert.NotNull(detail.QuerySelector("[data-testid=column-quantiles]"));
    }

    [Fact]
    public async Task StatisticsTab_RaggedCsv_ShowsTheReason()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        await CommitAsync(1, ("broken.csv", "a,b\n1,2\n3,4,5\n"));
        await Services.GetRequiredService<QueuedAnalysisJobs>().RunAllAsync();

        var tab = Context.Render<StatisticsTab>(p => p.Add(t => t.Slug, Slug).Add(t => t.ArtifactName, "data").Add(t => t.VersionNumber, 1));

        var error = tab.WaitForElement("[data-testid=statistics-error]");
        Assert.Contains("broken.csv", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPage_JobFinishes_ShowsStatisticsAndANotificationWithoutReload()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        await CommitAsync(1, ("data.csv", Csv));

        var page = RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "data"), ("Version", "v1"));
        var status = page.WaitForElement("[data-testid=analysis-job][data-kind=Statistics] [data-testid=analysis-job-status]");
        Assert.Equal("queued", status.TextContent.Trim());
        await Services.GetRequiredService<QueuedAnalysisJobs>().RunAllAsync();

        page.WaitForAssertion(() => Assert.Equal("done",
            page.Find("[data-testid=analysis-job][data-kind=Statistics] [data-testid=analysis-job-status]").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains("Statistics ready for data.csv", page.Markup, StringComparison.Ordinal));
        // Editors and up may re-run a finished job.
        Assert.NotEmpty(page.FindAll("[data-testid=analysis-job-rerun]"));
    }

    [Fact]
    public async Task VersionPage_Viewer_SeesJobsButNoRerun()
    {
        await CreateProjectAsync();
        await CommitAsync(1, ("data.csv", Csv));
        await Services.GetRequiredService<QueuedAnalysisJobs>().RunAllAsync();
        await SignInMemberAsync("viewer@example.com", Core.Projects.ProjectRole.Viewer);

        var page = RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "data"), ("Version", "v1"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=analysis-job]").Count));
        Assert.Empty(page.FindAll("[data-testid=analysis-job-rerun]"));
    }

    [Fact]
    public void CompareTable_StoredComparison_ShowsRowChangeNullChangeAndDriftBadges()
    {
        var comparison = new StatisticsComparison(1, 2,
        [
            new FileDrift("data.csv", "data.csv", 1000, 1200,
            [
                new ColumnDrift("value", ColumnType.Float, ColumnType.Float, 10, 30, 5, 10, 2.5, 0.8),
                new ColumnDrift("label", ColumnType.String, ColumnType.String, 0, 0, null, null, null, 0.01),
            ], ["extra"], []),
        ]);

        var table = Context.Render<StatisticsCompareTable>(p => p.Add(t => t.Comparison, comparison));

        Assert.Contains("+200", table.Find("[data-testid=compare-rows]").TextContent, StringComparison.Ordinal);
        Assert.Contains("+20%", table.Find("[data-testid=compare-rows]").TextContent, StringComparison.Ordinal);
        var rows = table.FindAll("[data-testid=compare-column]");
        Assert.Contains("10% → 30%", rows[0].QuerySelector("[data-testid=compare-nulls]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("+20 pp", rows[0].QuerySelector("[data-testid=compare-nulls]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("+2.50 σ", rows[0].QuerySelector("[data-testid=compare-mean-shift]")!.TextContent.Trim());
        Assert.Equal("significant drift", rows[0].QuerySelector("[data-testid=drift-badge]")!.TextContent.Trim());
        Assert.Equal("stable", rows[1].QuerySelector("[data-testid=drift-badge]")!.TextContent.Trim());
        Assert.Contains("New columns: extra", table.Find("[data-testid=compare-schema]").TextContent, StringComparison.Ordinal);
    }

    /// <summary>Stores the files, commits them as the next version of "data" and lets the commit hook queue its jobs.</summary>
    private async Task CommitAsync(int expectedNumber, params (string Path, string Content)[] files)
    {
        if (expectedNumber == 1)
        {
            await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "data");
        }

        var blobs = Services.GetRequiredService<IBlobStore>();
        foreach (var (_, content) in files)
        {
            await blobs.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), null, null, CancellationToken.None);
        }

        var number = await Data.AddVersionAsync(OwnerPrincipal, Slug, "data", files.ToDictionary(f => f.Path, f => f.Content));
        Assert.Equal(expectedNumber, number);
        await using var db = await Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var versionId = await db.ArtifactVersions.Where(v => v.Number == number && db.Artifacts.Any(a => a.Id == v.ArtifactId && a.Name == "data"))
            .Select(v => v.Id).SingleAsync();
        await Services.GetRequiredService<AnalysisService>().OnCommittedAsync(versionId, CancellationToken.None);
    }
}
