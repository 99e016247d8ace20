using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Web.Components.Layout;
using Bunit;
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

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help", "Users", "Teams", "Audit log", "Deleted projects", "Background jobs"], LinkTexts(cut));
        Assert.Contains("Administration", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("admin/users", cut.Find("a[href='admin/users']").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_SignedInNonAdministrator_ShowsNoAdministrationLinks()
    {
        SignIn(await CreateUserAsync("bob@example.com"));

        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help"], LinkTexts(cut));
        Assert.DoesNotContain("Administration", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_OtherRoleOnly_ShowsNoAdministrationLinks()
    {
        // The policy asks for the Administrator role exactly, not for any role.
        SignIn(await CreateUserAsync("bob@example.com"), "Administrators");

        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help"], LinkTexts(cut));
    }

    [Fact]
    public void Render_Anonymous_ShowsNoAdministrationLinks()
    {
        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help"], LinkTexts(cut));
    }

    [Fact]
    public async Task BackgroundJobs_ForAdministrator_IsARealLink()
    {
        SignIn(await CreateUserAsync("ada@example.com"), PortalRoles.Administrator);
        var cut = Context.Render<NavMenu>();

        // A real link for keyboards and screen readers; that it loads the (non-Blazor) dashboard is an end-to-end test.
        var link = cut.FindAll("a").Single(l => l.TextContent.Trim() == "Background jobs");
        Assert.Equal("admin/jobs", link.GetAttribute("href"));
    }
}
