using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Home;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Home;

public class HomePageTests : PortalComponentTestBase
{
    [Fact]
    public async Task Render_NoProjects_ShowsEmptyStateWithCreateButton()
    {
        SignIn(await CreateUserAsync("ada@example.com"));

        var cut = RenderWithProviders<HomePage>();

        cut.WaitForAssertion(() => Assert.Contains("No projects yet", cut.Find("[data-testid=projects-empty]").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("button"), b => b.TextContent.Trim() == "Create your first project");
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "New project");
        Assert.Empty(cut.FindAll("[data-testid=project-card]"));
    }

    [Fact]
    public async Task Render_MemberOfProject_ShowsCardWithNameAndRole()
    {
        var ada = await CreateUserAsync("ada@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        var projects = Services.GetRequiredService<ProjectService>();
        Assert.True((await projects.CreateAsync(PrincipalOf(ada), new NewProject("Fraud Detection", "fraud-detection", "Card fraud models.", ProjectVisibility.Private))).Succeeded);
        Assert.True((await projects.CreateAsync(PrincipalOf(bob), new NewProject("Churn", "churn", "", ProjectVisibility.Private))).Succeeded);
        SignIn(ada);

        var cut = RenderWithProviders<HomePage>();

        var card = cut.WaitForElement("[data-testid=project-card]");
        Assert.Single(cut.FindAll("[data-testid=project-card]"));
        Assert.Equal("Fraud Detection", card.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains("fraud-detection", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Card fraud models.", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Owner · 1 member", card.TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("button"), b => b.TextContent.Trim() == "New project");
        Assert.Empty(cut.FindAll("[data-testid=projects-empty]"));
    }
}
