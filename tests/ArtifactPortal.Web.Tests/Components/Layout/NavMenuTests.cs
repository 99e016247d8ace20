using ArtifactPortal.Web.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Components.Layout;

public class NavMenuTests : PortalComponentTestBase
{
    // The entries a keyboard user can reach, by their visible text.
    private static List<string> LinkTexts(IRenderedComponent<NavMenu> cut) =>
        cut.FindAll("nav [tabindex]").Select(l => l.TextContent.Trim()).ToList();

    [Fact]
    public void Render_Administrator_ShowsAdministrationLinks()
    {
        var cut = Context.Render<NavMenu>(p => p.Add(m => m.Administrator, true));

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help", "Users", "Teams", "Audit log", "Deleted projects", "Background jobs"], LinkTexts(cut));
        Assert.Contains("Administration", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("admin/users", cut.Find("a[href='admin/users']").GetAttribute("href"));
    }

    [Fact]
    public void Render_NotAdministrator_ShowsNoAdministrationLinks()
    {
        var cut = Context.Render<NavMenu>();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help"], LinkTexts(cut));
        Assert.DoesNotContain("Administration", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void BackgroundJobs_ForAdministrator_IsARealLink()
    {
        var cut = Context.Render<NavMenu>(p => p.Add(m => m.Administrator, true));

        // A real link for keyboards and screen readers; that it loads the (non-Blazor) dashboard is an end-to-end test.
        var link = cut.FindAll("a").Single(l => l.TextContent.Trim() == "Background jobs");
        Assert.Equal("admin/jobs", link.GetAttribute("href"));
    }

    [Theory]
    [InlineData(true, "", "")]
    [InlineData(true, "help", "help")]
    [InlineData(true, "HELP?tab=api#tokens", "help")]
    [InlineData(true, "admin/users/42", "admin/users")]
    [InlineData(false, "admin/users/42", "p")]
    [InlineData(true, "projects/new", "p")]
    [InlineData(true, "p/vision/artifacts/resnet/v3", "p")]
    public void PrerenderKey_Address_RendersAtTheLinkItHighlights(bool administrator, string address, string renderAt)
    {
        var (key, at) = NavMenu.PrerenderKey(administrator, address);

        Assert.Equal(renderAt, at);
        Assert.Equal(NavMenu.PrerenderKey(administrator, renderAt).Key, key);
        Assert.NotEqual(NavMenu.PrerenderKey(!administrator, renderAt).Key, key);
    }

    [Theory]
    [InlineData("help", "Help")]
    [InlineData("admin/users/42", "Users")]
    [InlineData("p/vision", null)]
    public void Render_AtAddress_HighlightsTheLinkPrerenderKeyNames(string address, string? highlighted)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(address);

        var cut = Context.Render<NavMenu>(p => p.Add(m => m.Administrator, true));

        var active = cut.FindAll("a.active").Select(a => a.TextContent.Trim()).SingleOrDefault();
        Assert.Equal(highlighted, active);
        Assert.Equal(highlighted is null ? "p" : cut.Find("a.active").GetAttribute("href"), NavMenu.PrerenderKey(true, address).RenderAt);
    }
}
