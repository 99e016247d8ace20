using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Accounts;

[Collection(PortalCollectionDefinition.Name)]
public sealed class LoginTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Login_WithWrongPassword_ShowsErrorAndStaysSignedOut(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var email = PortalBrowser.NewEmail("typo");
        using (var registration = portal.CreateBrowser())
        {
            await registration.RegisterAndSignInAsync(email);
        }

        using var browser = portal.CreateBrowser();
        using var response = await browser.LogInAsync(email, "not the password at all");

        Assert.Null(browser.RedirectTarget(response));
        var page = await PortalBrowser.ParseAsync(response);
        Assert.Contains("Invalid login attempt.", page.Text, StringComparison.Ordinal);
        using var home = await browser.Client.GetAsync("/");
        Assert.Equal("/Account/Login", browser.RedirectTarget(home)?.AbsolutePath);
    }

    [Theory, DatabaseProviders]
    public async Task Login_AfterFiveWrongPasswords_RedirectsToLockoutEvenWithRightPassword(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var email = PortalBrowser.NewEmail("lockout");
        using (var registration = portal.CreateBrowser())
        {
            await registration.RegisterAndSignInAsync(email);
        }

        using var browser = portal.CreateBrowser();
        for (var attempt = 1; attempt <= IdentityServiceCollectionExtensions.MaxFailedAccessAttempts; attempt++)
        {
            using var wrong = await browser.LogInAsync(email, $"wrong password number {attempt}");
            Assert.NotEqual("/", browser.RedirectTarget(wrong)?.AbsolutePath);
        }

        using var right = await browser.LogInAsync(email, PortalBrowser.TestPassword);

        Assert.Equal("/Account/Lockout", browser.RedirectTarget(right)?.AbsolutePath);
        var lockout = await browser.FollowAsync(right);
        Assert.Contains("This account has been locked out", lockout.Text, StringComparison.Ordinal);
        using var home = await browser.Client.GetAsync("/");
        Assert.Equal("/Account/Login", browser.RedirectTarget(home)?.AbsolutePath);
    }
}
