using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/Account/Login: a static (server-rendered) form, usable as soon as it is visible.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "Account/Login";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" });

    // The ids contain a dot, which a #id selector would read as a class.
    public ILocator Email => page.Locator("[id='Input.Email']");

    public ILocator Password => page.Locator("[id='Input.Password']");

    public ILocator SubmitButton => page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true });

    public ILocator ErrorMessage => page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Invalid login attempt" });

    public static async Task<LoginPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Path);
        var login = new LoginPage(page);
        await login.WaitUntilShownAsync();
        return login;
    }

    public async Task WaitUntilShownAsync()
    {
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        await Expect(Heading).ToBeVisibleAsync();
    }

    public async Task LogInAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await SubmitButton.ClickAsync();
    }
}
