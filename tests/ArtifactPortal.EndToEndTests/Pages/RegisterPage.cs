using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/Account/Register: a static form; without SMTP a new account is signed in straight away.</summary>
public sealed class RegisterPage(IPage page)
{
    public const string Path = "Account/Register";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" });

    public ILocator Email => page.Locator("[id='Input.Email']");

    public ILocator Password => page.Locator("[id='Input.Password']");

    public ILocator ConfirmPassword => page.Locator("[id='Input.ConfirmPassword']");

    public ILocator SubmitButton => page.GetByRole(AriaRole.Button, new() { Name = "Create account" });

    public static async Task<RegisterPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Path);
        var register = new RegisterPage(page);
        await Expect(register.Heading).ToBeVisibleAsync();
        return register;
    }

    public async Task FillAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await ConfirmPassword.FillAsync(password);
    }

    public Task SubmitAsync() => SubmitButton.ClickAsync();
}
