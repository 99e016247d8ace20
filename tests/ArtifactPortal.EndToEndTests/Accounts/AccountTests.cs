using System.Text.RegularExpressions;
using ArtifactPortal.EndToEndTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Accounts;

[Collection(PortalSuite.Name)]
public sealed class AccountTests(PortalFixture fixture)
{
    [Fact]
    public async Task Register_NewAccount_LandsOnHomeSignedIn()
    {
        var email = PortalFixture.UniqueEmail("register");
        var page = await fixture.NewAnonymousPageAsync();

        var register = await RegisterPage.OpenAsync(page);
        await fixture.ScreenshotAsync(page, "register");
        await register.FillAsync(email, PortalFixture.Password);
        await register.SubmitAsync();

        var home = new HomePage(page);
        await home.WaitUntilShownAsync();
        await Expect(page).ToHaveURLAsync(fixture.BaseUrl.ToString());
        await home.WaitForSignedInAsync(email);
        await Expect(home.EmptyState).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "home-empty");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Login_RightPassword_ShowsHome()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("login"));
        var page = await fixture.NewAnonymousPageAsync();

        var login = await LoginPage.OpenAsync(page);
        await fixture.ScreenshotAsync(page, "login");
        await login.LogInAsync(email, PortalFixture.Password);

        var home = new HomePage(page);
        await home.WaitUntilShownAsync();
        await home.WaitForSignedInAsync(email);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsErrorAndStaysOnLogin()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("wrong"));
        var page = await fixture.NewAnonymousPageAsync();

        var login = await LoginPage.OpenAsync(page);
        await login.LogInAsync(email, "not the right password");

        await Expect(login.ErrorMessage).ToBeVisibleAsync();
        await login.WaitUntilShownAsync();
        await Expect(new PortalLayout(page).UserMenuButton).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "login-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Logout_SignedIn_ShowsLoginAndHomeRedirectsToLogin()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("logout"));
        var page = await fixture.NewSignedInPageAsync(email);
        var home = await HomePage.OpenAsync(page);

        await home.OpenUserMenuAsync();
        await fixture.ScreenshotAsync(page, "user-menu");
        await home.LogoutButton.ClickAsync();

        var login = new LoginPage(page);
        await login.WaitUntilShownAsync();
        await page.GotoAsync("");
        await login.WaitUntilShownAsync();
        await Expect(page).ToHaveURLAsync(new Regex("ReturnUrl=%2F", RegexOptions.IgnoreCase));
        await page.Context.CloseAsync();
    }
}
