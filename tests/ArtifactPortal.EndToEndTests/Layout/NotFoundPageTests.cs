using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Layout;

[Collection(PortalSuite.Name)]
public sealed class NotFoundPageTests(PortalFixture fixture)
{
    [Fact]
    public async Task UnknownAddress_SignedIn_ShowsNotFoundPage()
    {
        var page = await fixture.NewSignedInPageAsync(PortalFixture.MemberEmail);

        var response = await page.GotoAsync("nope");

        Assert.Equal(404, response?.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await new PortalLayout(page).WaitForInteractiveAsync();
        await fixture.ScreenshotAsync(page, "not-found");
        await page.Context.CloseAsync();
    }
}
