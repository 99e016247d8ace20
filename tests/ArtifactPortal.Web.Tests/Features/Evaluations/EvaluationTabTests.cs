using System.Text;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Web.Components.Shared.Charts;
using ArtifactPortal.Web.Features.Artifacts;
using ArtifactPortal.Web.Features.Evaluations;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor.Traces;

namespace ArtifactPortal.Web.Tests.Features.Evaluations;

public sealed class EvaluationTabTests : ArtifactPageTestBase
{
    [Fact]
    public async Task EvaluationTab_JsonAndCsv_TableRowsAndOneBarPerMetric()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        await CommitAsync(("metrics.json", """{"accuracy": 0.93, "test": {"loss": 0.21}, "curve": [1, 2]}"""),
            ("per_class.csv", "class,f1\ncat,0.9\ndog,0.8\n"));

        var tab = Context.Render<EvaluationTab>(p => p.Add(t => t.Slug, Slug).Add(t => t.ArtifactName, "eval").Add(t => t.VersionNumber, 1));

        tab.WaitForAssertion(() => Assert.Equal(4, tab.FindAll("[data-testid=evaluation-row]").Count));
        var rows = tab.FindAll("[data-testid=evaluation-row]").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["accuracy", "0.93", "metrics.json"], rows[0]);
        Assert.Equal(["test.loss", "0.21", "metrics.json"], rows[1]);
        Assert.Equal(["dog.f1", "0.8", "per_class.csv"], rows[3]);
        Assert.Contains("Arrays are not shown: curve", tab.Find("[data-testid=evaluation-note]").TextContent, StringComparison.Ordinal);
        var bar = (Bar)Assert.Single(tab.FindComponent<EvaluationBarChart>().Instance.Traces);
        Assert.Equal(["accuracy", "test.loss", "cat.f1", "dog.f1"], bar.X.Cast<string>());
        Assert.Equal([0.93, 0.21, 0.9, 0.8], bar.Y.Cast<double>());
    }

    [Fact]
    public async Task EvaluationTab_MalformedFile_ShowsTheReasonAndNoTable()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        await CommitAsync(("metrics.json", """{"accuracy": """));

        var tab = Context.Render<EvaluationTab>(p => p.Add(t => t.Slug, Slug).Add(t => t.ArtifactName, "eval").Add(t => t.VersionNumber, 1));

        var error = tab.WaitForElement("[data-testid=evaluation-file-error]");
        Assert.Contains("metrics.json", error.TextContent, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.TextContent, StringComparison.Ordinal);
        Assert.Empty(tab.FindAll("[data-testid=evaluation-table]"));
    }

    [Fact]
    public async Task VersionPage_EvaluationArtifact_HasAnEvaluationTab()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        await CommitAsync(("metrics.json", """{"accuracy": 0.5}"""));

        var page = RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "eval"), ("Version", "v1"));

        page.WaitForAssertion(() => Assert.Contains("Evaluation", page.Find("[data-testid=version-tabs]").TextContent, StringComparison.Ordinal));
    }

    private async Task CommitAsync(params (string Path, string Content)[] files)
    {
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "eval", ArtifactType.Evaluation);
        var blobs = Services.GetRequiredService<IBlobStore>();
        foreach (var (_, content) in files)
        {
            await blobs.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), null, null, CancellationToken.None);
        }

        await Data.AddVersionAsync(OwnerPrincipal, Slug, "eval", files.ToDictionary(f => f.Path, f => f.Content));
    }
}
