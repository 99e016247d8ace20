using ArtifactPortal.EndToEndTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Layout;

[Collection(PortalSuite.Name)]
public sealed class ThemeTests(PortalFixture fixture)
{
    // PortalTheme: PaletteLight.Background #f6f7fb, PaletteDark.Background #12141b.
    private const string LightBackground = "rgb(246, 247, 251)";
    private const string DarkBackground = "rgb(18, 20, 27)";

    [Fact]
    public async Task ToggleTheme_LightToDark_PageTurnsDarkAndStaysDarkAfterReload()
    {
        // An account of its own, so the other tests' screenshots stay light.
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("dark"));
        var page = await fixture.NewSignedInPageAsync(email);
        var home = await HomePage.OpenAsync(page);
        await Expect(home.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to dark mode");
        await Expect(home.Body).ToHaveCSSAsync("background-color", LightBackground);

        await home.ToggleThemeAsync();

        await Expect(home.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");
        await Expect(home.Body).ToHaveCSSAsync("background-color", DarkBackground);
        await fixture.ScreenshotAsync(page, "home-dark");

        await fixture.WaitForSavedDarkModeAsync(email, darkMode: true);
        await page.ReloadAsync();
        await home.WaitUntilShownAsync();
        await Expect(home.Body).ToHaveCSSAsync("background-color", DarkBackground);
        await Expect(home.ThemeToggle).ToHaveAttributeAsync("aria-label", "Switch to light mode");
        await page.Context.CloseAsync();

        // Another browser of the same person: the choice lives in the database, not in this browser.
        var otherPage = await fixture.NewSignedInPageAsync(email);
        var elsewhere = await HomePage.OpenAsync(otherPage);
        await Expect(elsewhere.Body).ToHaveCSSAsync("background-color", DarkBackground);
        await otherPage.Context.CloseAsync();
    }
}
