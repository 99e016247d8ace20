using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Accounts;

[Collection(PortalCollectionDefinition.Name)]
public sealed class RegisterTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Register_ThenConfirmEmailLogOutAndLogIn_ShowsHomePage(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var email = PortalBrowser.NewEmail("register");

        using var browser = portal.CreateBrowser();

        // Without SMTP the portal signs the new account in at once and logs the confirmation email.
        await browser.RegisterAndSignInAsync(email);
        var link = portal.Logs.LastEmailLink(email);
        Assert.Equal("/Account/ConfirmEmail", link.AbsolutePath);
        var confirmed = await browser.OpenAsync(link.PathAndQuery);
        Assert.Contains("Thank you for confirming your email.", confirmed.Text, StringComparison.Ordinal);

        await browser.LogOutAsync();
        using (var signedOut = await browser.Client.GetAsync("/"))
        {
            Assert.Equal("/Account/Login", browser.RedirectTarget(signedOut)?.AbsolutePath);
        }

        await browser.LogInSuccessfullyAsync(email);
        var home = await browser.OpenAsync("/");
        Assert.Contains("Your projects", home.Text, StringComparison.Ordinal);
    }

    [Theory, DatabaseProviders]
    public async Task Register_WithMismatchedConfirmation_ShowsErrorAndCreatesNoAccount(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var email = PortalBrowser.NewEmail("mismatch");
        using var browser = portal.CreateBrowser();

        var page = await browser.OpenAsync("/Account/Register");
        using var response = await browser.SubmitFormAsync(page, "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalBrowser.TestPassword,
            ["Input.ConfirmPassword"] = "something else entirely",
        });

        var result = await PortalBrowser.ParseAsync(response);
        Assert.Contains("The password and confirmation password do not match.", result.Text, StringComparison.Ordinal);
        using var login = await browser.LogInAsync(email, PortalBrowser.TestPassword);
        Assert.Null(browser.RedirectTarget(login));
    }
}
