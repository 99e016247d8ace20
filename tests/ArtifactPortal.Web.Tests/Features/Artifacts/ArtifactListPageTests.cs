using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public sealed class ArtifactListPageTests : ArtifactPageTestBase
{
    [Fact]
    public async Task Render_ThirtyArtifacts_ShowsTheFirstPageAndTheTotal()
    {
        await CreateProjectAsync();
        for (var i = 1; i <= 30; i++)
        {
            await Data.CreateArtifactAsync(OwnerPrincipal, Slug, $"set-{i:00}");
        }

        SignIn(Owner);

        var page = RenderPage<ArtifactListPage>(("Slug", Slug));

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=artifact-link]").Count));
        Assert.Contains("1-25 of 30", page.Find("[data-testid=artifact-grid]").TextContent, StringComparison.Ordinal);
        Assert.Contains("30 artifacts", page.Find("[data-testid=artifact-counts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_AndTagFilter_ShowOnlyMatchingArtifactsWithTheirDetails()
    {
        await CreateProjectAsync();
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "cifar10", ArtifactType.Dataset, "images");
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "resnet50", ArtifactType.Model, "images", "baseline");
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "imdb", ArtifactType.Dataset, "text");
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "resnet50", new Dictionary<string, string> { ["model.pt"] = new('x', 2500) });
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "resnet50", new Dictionary<string, string> { ["model.pt"] = new('y', 3500) });
        SignIn(Owner);

        var page = RenderPage<ArtifactListPage>(("Slug", Slug));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=artifact-link]").Count));

        page.Find("input[data-testid=artifact-search]").Input("resnet");

        page.WaitForAssertion(() => Assert.Equal(["resnet50"], Names(page)));
        var row = page.Find("[data-testid=artifact-grid] tbody tr");
        Assert.Contains("Model", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("baseline", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("v2", page.Find("[data-testid=artifact-latest]").TextContent.Trim());
        Assert.Contains("3.4 KB", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("p/vision/artifacts/resnet50", page.Find("[data-testid=artifact-link]").GetAttribute("href"));

        page.Find("input[data-testid=artifact-search]").Input("");
        page.Find("input[data-testid=artifact-tag-filter]").Input("images");

        page.WaitForAssertion(() => Assert.Equal(["cifar10", "resnet50"], Names(page).Order()));
    }

    [Fact]
    public async Task Render_NoArtifacts_ExplainsHowToUploadWithACopyableSnippet()
    {
        await CreateProjectAsync();
        SignIn(Owner);

        var page = RenderPage<ArtifactListPage>(("Slug", Slug));

        var empty = page.WaitForElement("[data-testid=artifacts-empty]");
        Assert.Contains("No artifacts yet", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("Create the first artifact", empty.TextContent, StringComparison.Ordinal);
        var snippet = page.Find("[data-testid=snippet-python]").TextContent;
        Assert.Contains("api = \"http://localhost/api/v1\"", snippet, StringComparison.Ordinal);
        Assert.Contains("{api}/projects/vision/artifacts/my-dataset/uploads", snippet, StringComparison.Ordinal);
        Assert.Contains("Copy Python snippet", page.Find("[data-testid=snippet-python] button").GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains("no quota", page.Find("[data-testid=storage-usage]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ViewerWithoutArtifacts_SeesNoUploadButtons()
    {
        await CreateProjectAsync();
        await SignInMemberAsync("viewer@example.com", ProjectRole.Viewer);

        var page = RenderPage<ArtifactListPage>(("Slug", Slug));

        var empty = page.WaitForElement("[data-testid=artifacts-empty]");
        Assert.Contains("Editors of this project can upload artifacts.", empty.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=new-artifact]"));
        Assert.Empty(page.FindAll("[data-testid=snippet-python]"));
    }

    private static List<string> Names(IRenderedComponent<Bunit.Rendering.ContainerFragment> page) =>
        [.. page.FindAll("[data-testid=artifact-link]").Select(a => a.TextContent.Trim())];
}
