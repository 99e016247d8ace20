using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Accounts;

[Collection(PortalSuite.Name)]
public sealed class AccessTokenTests(PortalFixture fixture)
{
    [Fact]
    public async Task TokensPage_CreateUseRevoke_TokenShownOnceWorksThenStops()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("tokens"));
        var page = await fixture.NewSignedInPageAsync(email);
        await page.GotoAsync("Account/Manage/Tokens");

        await page.Locator("[id='Input.Name']").FillAsync("Training pipeline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        var token = await page.GetByTestId("new-token-value").InputValueAsync();
        Assert.StartsWith("apt_", token, StringComparison.Ordinal);
        await Expect(page.GetByTestId("token-list")).ToContainTextAsync("Training pipeline");
        await fixture.ScreenshotAsync(page, "access-tokens");

        // The token the page showed is what a training script sends.
        using var client = new HttpClient { BaseAddress = fixture.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var me = await client.GetAsync("api/v1/me"))
        {
            Assert.Equal(200, (int)me.StatusCode);
            Assert.Contains(email, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Shown once: opening the page again lists the token by name and prefix only.
        await page.GotoAsync("Account/Manage/Tokens");
        await Expect(page.GetByTestId("new-token")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("token-list")).Not.ToContainTextAsync(token);

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).First.ClickAsync();
        await Expect(page.GetByTestId("token-list")).ToContainTextAsync("Revoked");
        using var afterRevoke = await client.GetAsync("api/v1/me");
        Assert.Equal(401, (int)afterRevoke.StatusCode);
        await page.Context.CloseAsync();
    }
}
