using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.Web.Features.Home;
using Bunit;
using Bunit.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Projects;

/// <summary>The dialog as people reach it: from the home page's empty state.</summary>
public class NewProjectDialogTests : PortalComponentTestBase
{
    private async Task<(PortalUser User, IRenderedComponent<ContainerFragment> Cut)> OpenDialogAsync()
    {
        var user = await CreateUserAsync("ada@example.com");
        SignIn(user);
        var cut = RenderWithProviders<HomePage>();
        var create = cut.WaitForElement("[data-testid=projects-empty] button");
        // Not awaited: the home page's click handler only finishes when the dialog closes.
        create.Click();
        cut.WaitForElement("[data-testid=create-project]");
        return (user, cut);
    }

    [Fact]
    public async Task Create_EmptyName_ShowsNameErrorAndStaysOpen()
    {
        var (user, cut) = await OpenDialogAsync();

        await cut.Find("[data-testid=create-project]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Give the project a name.", cut.Markup, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=create-project]"));
        Assert.Empty(await Services.GetRequiredService<ProjectService>().ListMineAsync(user.Id));
    }

    [Fact]
    public async Task Name_Typed_SuggestsSlug()
    {
        var (_, cut) = await OpenDialogAsync();

        await cut.Find("input[data-testid=project-name]").ChangeAsync(new() { Value = "Fraud Detection v2" });

        cut.WaitForAssertion(() => Assert.Equal("fraud-detection-v2", cut.Find("input[data-testid=project-slug]").GetAttribute("value")));
    }

    [Fact]
    public async Task Create_ValidName_ClosesDialogAndShowsProjectCard()
    {
        var (user, cut) = await OpenDialogAsync();
        await cut.Find("input[data-testid=project-name]").ChangeAsync(new() { Value = "Fraud Detection v2" });

        await cut.Find("[data-testid=create-project]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=create-project]")));
        var card = cut.WaitForElement("[data-testid=project-card]");
        Assert.Equal("Fraud Detection v2", card.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains("Created project Fraud Detection v2.", cut.Markup, StringComparison.Ordinal);
        var mine = Assert.Single(await Services.GetRequiredService<ProjectService>().ListMineAsync(user.Id));
        Assert.Equal(("fraud-detection-v2", ProjectRole.Owner), (mine.Slug, mine.Role));
    }

    [Fact]
    public async Task Create_TakenSlug_ShowsSlugError()
    {
        var (user, cut) = await OpenDialogAsync();
        await Services.GetRequiredService<ProjectService>()
            .CreateAsync(PrincipalOf(user), new NewProject("Fraud", "fraud", "", ProjectVisibility.Private));
        await cut.Find("input[data-testid=project-name]").ChangeAsync(new() { Value = "Fraud" });

        await cut.Find("[data-testid=create-project]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("The URL name \"fraud\" is taken; choose another.", cut.Markup, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=create-project]"));
    }
}
