using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Features.Runs;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Runs;

public sealed class RunListPageTests : ArtifactPageTestBase
{
    [Fact]
    public async Task Render_Runs_ShowsStatusesAndTheParamAndMetricColumns()
    {
        await CreateRunsAsync();
        SignIn(Owner);

        var page = RenderPage<RunListPage>(("Slug", Slug));

        page.WaitForAssertion(() => Assert.Equal(["slow", "medium", "fast"], Names(page)));
        var headers = page.FindAll("[data-testid=run-grid] thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Contains("lr", headers);
        Assert.Contains("val_acc", headers);
        var slow = page.FindAll("[data-testid=run-grid] tbody tr")[0];
        Assert.Contains("running", slow.QuerySelector("[data-testid=run-status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("0.001", slow.TextContent, StringComparison.Ordinal);
        Assert.Contains("0.75", slow.TextContent, StringComparison.Ordinal);
        Assert.Contains("finished", page.FindAll("[data-testid=run-grid] tbody tr")[2].TextContent, StringComparison.Ordinal);
        Assert.Equal("p/vision/runs/3", page.Find("[data-testid=run-link]").GetAttribute("href"));
        Assert.Contains("3 runs in 1 experiment", page.Find("[data-testid=run-counts]").TextContent, StringComparison.Ordinal);
        // The picker counts what the table shows of the columns it offers: lr, and val_acc last, min and max.
        Assert.Equal("2 of 4 shown", page.Find("[data-testid=run-columns]").GetAttribute("value"));
    }

    [Fact]
    public async Task Filter_BadThenGood_ExplainsWhereItIsWrongThenShowsTheMatchingRuns()
    {
        await CreateRunsAsync();
        SignIn(Owner);
        var page = RenderPage<RunListPage>(("Slug", Slug));
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        page.Find("input[data-testid=run-filter]").Input("params.lr >");

        page.WaitForAssertion(() => Assert.Contains("The filter is not valid at position 12: expected a value", page.Markup, StringComparison.Ordinal));
        Assert.Equal(3, Names(page).Count);

        // The debounced error message re-renders the field; retry until the input is the current one.
        page.WaitForAssertion(() => page.Find("input[data-testid=run-filter]").Input("params.lr >= 0.01 and metrics.val_acc > 0.8"));

        page.WaitForAssertion(() => Assert.Equal(["medium"], Names(page)));
        page.WaitForAssertion(() => Assert.DoesNotContain("is not valid", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Select_TwoRuns_CompareLinksToTheComparePageWithBothNumbers()
    {
        await CreateRunsAsync();
        SignIn(Owner);
        var page = RenderPage<RunListPage>(("Slug", Slug));
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));
        Assert.Null(page.Find("[data-testid=compare-runs]").GetAttribute("href"));

        page.FindAll("[data-testid=run-grid] tbody tr input[type=checkbox]")[0].Change(true);
        page.FindAll("[data-testid=run-grid] tbody tr input[type=checkbox]")[2].Change(true);

        page.WaitForAssertion(() => Assert.Equal("p/vision/runs/compare?runs=1,3", page.Find("[data-testid=compare-runs]").GetAttribute("href")));
        Assert.Contains("Compare (2)", page.Find("[data-testid=compare-runs]").TextContent, StringComparison.Ordinal);
    }

    private static List<string> Names(IRenderedComponent<Bunit.Rendering.ContainerFragment> page) =>
        [.. page.FindAll("[data-testid=run-link]").Select(a => a.TextContent.Trim())];

    /// <summary>Runs 1 "fast" (finished), 2 "medium", 3 "slow" with lr params and val_acc summaries.</summary>
    private async Task CreateRunsAsync()
    {
        await CreateProjectAsync();
        var runs = Services.GetRequiredService<RunService>();
        var created = new List<RunDetails>();
        foreach (var (name, lr) in new[] { ("fast", "0.1"), ("medium", "0.01"), ("slow", "0.001") })
        {
            created.Add(await runs.CreateAsync(OwnerPrincipal, Slug, new NewRun("sweep", name, new Dictionary<string, string> { ["lr"] = lr })));
        }

        await runs.UpdateAsync(OwnerPrincipal, Slug, 1, new RunChanges(Status: RunStatus.Finished));
        await using var db = await Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        foreach (var (run, accuracy) in created.Zip([0.7, 0.9, 0.75]))
        {
            db.MetricSeries.Add(new MetricSeries { RunId = run.Id, Key = "val_acc", Count = 1, Last = accuracy, Min = accuracy, Max = accuracy, LastStep = 1, UpdatedAt = DateTimeOffset.UtcNow });
        }

        await db.SaveChangesAsync();
    }
}
