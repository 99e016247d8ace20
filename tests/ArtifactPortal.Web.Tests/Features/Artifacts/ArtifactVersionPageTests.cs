using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public sealed class ArtifactVersionPageTests : ArtifactPageTestBase
{
    [Fact]
    public async Task Render_Version_ShowsIdentifierMetadataFilesAndCurlCommand()
    {
        await SeedAsync();
        SignIn(Owner);

        var page = RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "resnet"), ("Version", "v2"));

        page.WaitForElement("[data-testid=version-header]");
        Assert.Equal("vision/resnet:v2", page.Find("[data-testid=version-identifier] code").TextContent);
        Assert.Equal(["latest"], page.FindAll("[data-testid=version-alias]").Select(a => a.TextContent.Trim()));
        var rows = page.FindAll("[data-testid=metadata-row]");
        Assert.Equal(["accuracy", "params"], rows.Select(r => r.QuerySelector("th")!.TextContent));
        Assert.Equal("0.93", rows[0].QuerySelector("pre")!.TextContent);
        Assert.Contains("\"layers\": 50", rows[1].QuerySelector("pre")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            "curl -fL -H \"Authorization: Bearer $ARTIFACTPORTAL_TOKEN\" -o resnet-v2.zip http://localhost/api/v1/projects/vision/artifacts/resnet/versions/v2/zip",
            page.Find("[data-testid=curl-command] code").TextContent);
        Assert.Equal("/api/v1/projects/vision/artifacts/resnet/versions/v2/zip", page.Find("[data-testid=download-zip]").GetAttribute("href"));
        var files = page.FindAll("[role=treeitem]").Select(r => r.TextContent).ToList();
        Assert.Equal(2, files.Count);
        Assert.Contains("model.pt", files[0], StringComparison.Ordinal);
        Assert.Contains("report.html", files[1], StringComparison.Ordinal);
        Assert.Equal("p/vision/artifacts/resnet/compare?from=v1&to=v2", page.Find("[data-testid=compare-previous]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=damaged-warning]"));
    }

    [Fact]
    public async Task Render_HtmlFile_EmbedsItInASandboxedFrameFromTheViewEndpoint()
    {
        await SeedAsync();
        SignIn(Owner);

        var page = RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "resnet"), ("Version", "v2"));

        var frame = page.WaitForElement("[data-testid=html-preview]");
        Assert.Equal("allow-scripts", frame.GetAttribute("sandbox"));
        Assert.Equal("p/vision/artifacts/resnet/v2/view/report.html", frame.GetAttribute("src"));
    }

    [Fact]
    public async Task Render_DamagedFile_WarnsAndNamesIt()
    {
        await SeedAsync();
        await Data.MarkDamagedAsync("weights-2");
        SignIn(Owner);

        var page = RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "resnet"), ("Version", "v2"));

        var warning = page.WaitForElement("[data-testid=damaged-warning]");
        Assert.Contains("a file of this version damaged in storage: model.pt.", string.Join(' ', warning.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Alias_RedirectsToTheVersionNumber()
    {
        await SeedAsync();
        Assert.True((await Services.GetRequiredService<ArtifactService>().SetAliasAsync(OwnerPrincipal, Slug, "resnet", "baseline", 1)).Succeeded);
        SignIn(Owner);

        RenderPage<ArtifactVersionPage>(("Slug", Slug), ("Name", "resnet"), ("Version", "@baseline"));

        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.Equal("http://localhost/p/vision/artifacts/resnet/v1", navigation.Uri);
    }

    private async Task SeedAsync()
    {
        await CreateProjectAsync();
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "resnet", ArtifactType.Model);
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "resnet", new Dictionary<string, string> { ["model.pt"] = "weights-1" });
        await Data.AddVersionAsync(
            OwnerPrincipal, Slug, "resnet",
            new Dictionary<string, string> { ["model.pt"] = "weights-2", ["report.html"] = "<script>document.title = 'hi'</script>" },
            """{"params": {"layers": 50}, "accuracy": 0.93}""");
    }
}
