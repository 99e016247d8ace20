using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Web.Components.Layout;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Components.Layout;

public class NavMenuTests : PortalComponentTestBase
{
    // The entries a keyboard user can reach, by their visible text.
    private static List<string> LinkTexts(IRenderedComponent<NavMenu> cut) =>
        cut.FindAll("nav [tabindex]").Select(l => l.TextContent.Trim()).ToList();

    [Fact]
    public async Task Render_Administrator_ShowsAdministrationLinks()
    {
        SignIn(await CreateUserAsync("ada@example.com"), PortalRoles.Administrator);

        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Projects", "Users", "Background jobs"], LinkTexts(cut));
        Assert.Contains("Administration", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("admin/users", cut.Find("a[href='admin/users']").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_SignedInNonAdministrator_ShowsOnlyProjects()
    {
        SignIn(await CreateUserAsync("bob@example.com"));

        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Projects"], LinkTexts(cut));
        Assert.DoesNotContain("Administration", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_OtherRoleOnly_ShowsOnlyProjects()
    {
        // The policy asks for the Administrator role exactly, not for any role.
        SignIn(await CreateUserAsync("bob@example.com"), "Administrators");

        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Projects"], LinkTexts(cut));
    }

    [Fact]
    public void Render_Anonymous_ShowsOnlyProjects()
    {
        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Projects"], LinkTexts(cut));
    }

    [Fact]
    public async Task BackgroundJobs_Clicked_LoadsDashboardOutsideBlazor()
    {
        SignIn(await CreateUserAsync("ada@example.com"), PortalRoles.Administrator);
        var cut = Context.Render<NavMenu>();

        await cut.FindAll("nav [tabindex]").Single(l => l.TextContent.Trim() == "Background jobs").ClickAsync(new());

        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var last = navigation.History.First();
        Assert.EndsWith("admin/jobs", last.Uri, StringComparison.Ordinal);
        Assert.True(last.Options.ForceLoad);
    }
}
