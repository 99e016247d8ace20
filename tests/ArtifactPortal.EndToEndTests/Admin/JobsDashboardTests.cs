using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Admin;

[Collection(PortalSuite.Name)]
public sealed class JobsDashboardTests(PortalFixture fixture)
{
    [Fact]
    public async Task BackgroundJobsLink_Administrator_OpensHangfireDashboard()
    {
        var page = await fixture.NewSignedInPageAsync(PortalFixture.AdminEmail);
        await HomePage.OpenAsync(page);
        var layout = new PortalLayout(page);

        // The dashboard is not a Blazor page: the link must leave client-side routing and load it from the server.
        await layout.Drawer.GetByRole(AriaRole.Link, new() { Name = "Background jobs" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(fixture.BaseUrl, "admin/jobs").ToString());
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("ArtifactPortal jobs"));
        await Expect(page.GetByText("Servers", new() { Exact = false }).First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "jobs-dashboard");
        await page.Context.CloseAsync();
    }
}
