using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.Web.Components.Layout;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Components.Layout;

public class MainLayoutTests : PortalComponentTestBase
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Context.Render<MainLayout>(p => p.Add(l => l.Body, "<p>Page body</p>"));

    // The page background in PortalTheme's style sheet: #f6f7fb in light mode, #12141b in dark mode.
    private static void AssertPalette(IRenderedComponent<MainLayout> layout, bool dark) => layout.WaitForAssertion(() =>
    {
        var sheet = Assert.Single(layout.FindAll("style.mud-theme-provider")).TextContent;
        Assert.Contains($"--mud-palette-background: {(dark ? "rgba(18,20,27,1)" : "rgba(246,247,251,1)")};", sheet, StringComparison.Ordinal);
    });

    [Fact]
    public async Task Render_SignedInUser_ShowsUserMenuWithNameAndNoLogIn()
    {
        SignIn(await CreateUserAsync("ada@example.com"));

        var cut = RenderLayout();

        var menuButton = cut.Find("[data-testid=user-menu-button]");
        Assert.Contains("ada@example.com", menuButton.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("a"), a => a.TextContent.Trim() == "Log in");
        Assert.Contains("Page body", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Anonymous_ShowsLogInLinkAndNoUserMenu()
    {
        var cut = RenderLayout();

        var logIn = Assert.Single(cut.FindAll("a"), a => a.TextContent.Trim() == "Log in");
        Assert.Equal("Account/Login", logIn.GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=user-menu-button]"));
    }

    [Fact]
    public async Task UserMenu_Opened_ShowsAccountSettingsAndLogOut()
    {
        SignIn(await CreateUserAsync("ada@example.com"));
        var cut = RenderLayout();
        Assert.DoesNotContain("Account settings", cut.Markup, StringComparison.Ordinal);

        await cut.Find("[data-testid=user-menu-button]").ClickAsync(new());

        var settings = cut.WaitForElement("a[href='Account/Manage']");
        Assert.Contains("Account settings", settings.TextContent, StringComparison.Ordinal);
        var logOut = cut.Find("[data-testid=logout]");
        Assert.Contains("Log out", logOut.TextContent, StringComparison.Ordinal);
        var form = logOut.Closest("form")!;
        Assert.Equal(("Account/Logout", "post"), (form.GetAttribute("action"), form.GetAttribute("method")));
        Assert.NotNull(form.QuerySelector("input[type=hidden][name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task ThemeToggle_Clicked_SwitchesToDarkModeAndRemembersIt()
    {
        var user = await CreateUserAsync("ada@example.com");
        SignIn(user);
        var cut = RenderLayout();
        var toggle = cut.Find("[data-testid=theme-toggle]");
        Assert.Equal("Switch to dark mode", toggle.GetAttribute("aria-label"));
        AssertPalette(cut, dark: false);

        await toggle.ClickAsync(new());

        Assert.Equal("Switch to light mode", cut.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));
        AssertPalette(cut, dark: true);
        Assert.True(await Services.GetRequiredService<UserPreferenceService>().GetDarkModeAsync(user.Id));
    }

    [Fact]
    public async Task Render_UserWhoChoseDarkMode_StartsDark()
    {
        var user = await CreateUserAsync("ada@example.com");
        SignIn(user);
        var first = RenderLayout();
        await first.Find("[data-testid=theme-toggle]").ClickAsync(new());
        await Context.DisposeComponentsAsync();

        var second = RenderLayout();

        AssertPalette(second, dark: true);
        Assert.Equal("Switch to light mode", second.Find("[data-testid=theme-toggle]").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task ThemeToggle_Anonymous_SwitchesWithoutStoringAnything()
    {
        var someone = await CreateUserAsync("ada@example.com");
        var cut = RenderLayout();

        await cut.Find("[data-testid=theme-toggle]").ClickAsync(new());

        AssertPalette(cut, dark: true);
        Assert.False(await Services.GetRequiredService<UserPreferenceService>().GetDarkModeAsync(someone.Id));
    }

    // The drawer's entries a keyboard user can reach, by their visible text.
    private static List<string> DrawerLinks(IRenderedComponent<MainLayout> layout) =>
        layout.FindAll(".portal-drawer nav [tabindex]").Select(l => l.TextContent.Trim()).ToList();

    [Fact]
    public async Task Render_Administrator_DrawerShowsAdministrationLinks()
    {
        SignIn(await CreateUserAsync("ada@example.com"), PortalRoles.Administrator);

        var cut = RenderLayout();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help", "Users", "Teams", "Audit log", "Deleted projects", "Background jobs"], DrawerLinks(cut));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Administrators")]
    public async Task Render_SignedInNotAdministrator_DrawerShowsNoAdministrationLinks(string? role)
    {
        // The policy asks for the Administrator role exactly, not for any role.
        SignIn(await CreateUserAsync("bob@example.com"), role is null ? [] : [role]);

        var cut = RenderLayout();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help"], DrawerLinks(cut));
    }

    [Fact]
    public void Render_Anonymous_DrawerShowsNoAdministrationLinks()
    {
        var cut = RenderLayout();

        Assert.Equal(["Your projects", "All projects", "My reviews", "Help"], DrawerLinks(cut));
    }
}
