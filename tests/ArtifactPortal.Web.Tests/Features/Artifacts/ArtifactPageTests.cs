using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public sealed class ArtifactPageTests : ArtifactPageTestBase
{
    [Fact]
    public async Task Render_ThreeVersions_ShowsThemNewestFirstWithAliasesAndTheDeletedOneStruckThrough()
    {
        await SeedThreeVersionsAsync();
        SignIn(Owner);

        var page = RenderPage<ArtifactPage>(("Slug", Slug), ("Name", "cifar10"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-item]").Count));
        var items = page.FindAll("[data-testid=version-item]");
        Assert.Equal(["v3", "v2", "v1"], items.Select(i => i.QuerySelector("[data-testid=version-number]")!.TextContent.Trim()));
        Assert.Equal(["latest"], Aliases(items[0]));
        Assert.Equal(["best"], Aliases(items[2]));
        Assert.Equal("S", items[1].QuerySelector("[data-testid=version-number]")!.TagName);
        Assert.Contains("Deleted by owner@example.com", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("“Labels were shuffled”", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("owner@example.com", items[0].QuerySelector("[data-testid=version-facts]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("2 files", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("vision/cifar10:latest", page.Find("[data-testid=artifact-facts]").TextContent, StringComparison.Ordinal);
        Assert.Equal("CIFAR-10", page.Find("[data-testid=artifact-description] h1").TextContent);
    }

    [Fact]
    public async Task Render_Editor_CanSetAliasesButNotDeleteVersions()
    {
        await SeedThreeVersionsAsync();
        await SignInMemberAsync("editor@example.com", ProjectRole.Editor);

        var page = RenderPage<ArtifactPage>(("Slug", Slug), ("Name", "cifar10"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-item]").Count));
        Assert.Equal(2, page.FindAll("[data-testid=set-alias]").Count);
        Assert.Empty(page.FindAll("[data-testid=delete-version]"));
        Assert.Single(page.FindAll("[data-testid=edit-artifact]"));
        Assert.Single(page.FindAll("[data-testid=upload-version]"));
    }

    [Fact]
    public async Task Render_Maintainer_CanDeleteLiveVersions()
    {
        await SeedThreeVersionsAsync();
        await SignInMemberAsync("maintainer@example.com", ProjectRole.Maintainer);

        var page = RenderPage<ArtifactPage>(("Slug", Slug), ("Name", "cifar10"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=delete-version]").Count));
        Assert.All(page.FindAll("[data-testid=delete-version]"), b => Assert.Equal("Delete this version", b.GetAttribute("title")));
        Assert.All(page.FindAll("[data-testid=set-alias]"), b => Assert.Equal("Set or move an alias to this version", b.GetAttribute("title")));
    }

    [Fact]
    public async Task Render_Viewer_SeesVersionsWithoutAnyChangeButtons()
    {
        await SeedThreeVersionsAsync();
        await SignInMemberAsync("viewer@example.com", ProjectRole.Viewer);

        var page = RenderPage<ArtifactPage>(("Slug", Slug), ("Name", "cifar10"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-item]").Count));
        Assert.Empty(page.FindAll("[data-testid=set-alias]"));
        Assert.Empty(page.FindAll("[data-testid=delete-version]"));
        Assert.Empty(page.FindAll("[data-testid=edit-artifact]"));
        Assert.Empty(page.FindAll("[data-testid=upload-version]"));
        Assert.Single(page.FindAll("[data-testid=copy-identifier]"));
    }

    [Fact]
    public async Task SetAlias_TakenByAnotherVersion_MovesItAndShowsItOnTheNewVersion()
    {
        await SeedThreeVersionsAsync();
        SignIn(Owner);
        var page = RenderPage<ArtifactPage>(("Slug", Slug), ("Name", "cifar10"));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-item]").Count));

        page.FindAll("[data-testid=set-alias]")[0].Click();
        page.WaitForElement("input[data-testid=alias-name]").Input("best");

        page.WaitForAssertion(() => Assert.Equal("Move from v1", page.Find("[data-testid=alias-save]").TextContent.Trim()));
        page.Find("[data-testid=alias-save]").Click();
        page.WaitForAssertion(() => Assert.Equal(["latest", "best"], Aliases(page.FindAll("[data-testid=version-item]")[0])));
        Assert.Empty(Aliases(page.FindAll("[data-testid=version-item]")[2]));
    }

    [Fact]
    public async Task SetAlias_LooksLikeAVersionNumber_ShowsTheErrorInTheDialog()
    {
        await SeedThreeVersionsAsync();
        SignIn(Owner);
        var page = RenderPage<ArtifactPage>(("Slug", Slug), ("Name", "cifar10"));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-item]").Count));

        page.FindAll("[data-testid=set-alias]")[0].Click();
        page.WaitForElement("input[data-testid=alias-name]").Input("v7");
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=alias-save]").HasAttribute("disabled")));
        page.Find("[data-testid=alias-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("looks like a version number", page.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
    }

    private async Task SeedThreeVersionsAsync()
    {
        await CreateProjectAsync();
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "cifar10", ArtifactType.Dataset, "images");
        var artifacts = Services.GetRequiredService<ArtifactService>();
        Assert.True((await artifacts.UpdateAsync(OwnerPrincipal, Slug, "cifar10", new ArtifactChanges("# CIFAR-10\n\nTiny images.", ["images"]))).Succeeded);
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "cifar10", new Dictionary<string, string> { ["train.csv"] = "a,b\n1,2\n" });
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "cifar10", new Dictionary<string, string> { ["train.csv"] = "a,b\n2,1\n" });
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "cifar10", new Dictionary<string, string> { ["train.csv"] = "a,b\n1,2\n", ["test.csv"] = "a,b\n" });
        Assert.True((await artifacts.SetAliasAsync(OwnerPrincipal, Slug, "cifar10", "best", 1)).Succeeded);
        Assert.True((await artifacts.DeleteVersionAsync(OwnerPrincipal, Slug, "cifar10", "v2", "Labels were shuffled")).Succeeded);
    }

    private static List<string> Aliases(AngleSharp.Dom.IElement item) =>
        [.. item.QuerySelectorAll("[data-testid=version-alias]").Select(a => a.TextContent.Trim())];
}
