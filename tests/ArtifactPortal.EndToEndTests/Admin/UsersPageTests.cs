using ArtifactPortal.EndToEndTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Admin;

[Collection(PortalSuite.Name)]
public sealed class UsersPageTests(PortalFixture fixture)
{
    [Fact]
    public async Task UsersPage_Administrator_ListsAccountsAndSearchFilters()
    {
        var token = Guid.NewGuid().ToString("N")[..6];
        var alice = await fixture.CreateUserAsync($"alice-{token}@e2e.test");
        var bob = await fixture.CreateUserAsync($"bob-{token}@e2e.test");
        var page = await fixture.NewSignedInPageAsync(PortalFixture.AdminEmail);

        await HomePage.OpenAsync(page);
        var layout = new PortalLayout(page);
        await Expect(layout.AdministrationSection).ToBeVisibleAsync();
        await layout.UsersLink.ClickAsync();

        var users = new UsersPage(page);
        await Expect(users.Heading).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Uri(fixture.BaseUrl, UsersPage.Path).ToString());
        foreach (var email in new[] { PortalFixture.AdminEmail, PortalFixture.MemberEmail, alice, bob })
        {
            await Expect(users.Row(email)).ToBeVisibleAsync();
        }

        await Expect(users.Row(PortalFixture.AdminEmail)).ToContainTextAsync("Administrator");
        await Expect(users.Row(PortalFixture.MemberEmail)).Not.ToContainTextAsync("Administrator");
        await fixture.ScreenshotAsync(page, "users");

        await users.SearchAsync($"alice-{token}");
        await Expect(users.Rows).ToHaveCountAsync(1);
        await Expect(users.Row(alice)).ToBeVisibleAsync();

        await users.SearchAsync($"nobody-{token}");
        await Expect(users.NoMatch).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UsersPage_Member_ShowsNoAccessAndNoAdministrationMenu()
    {
        var page = await fixture.NewSignedInPageAsync(PortalFixture.MemberEmail);

        var response = await page.GotoAsync(UsersPage.Path);
        var users = new UsersPage(page);
        await users.WaitForInteractiveAsync();

        Assert.Equal(403, response?.Status);
        await Expect(page).ToHaveURLAsync(new Uri(fixture.BaseUrl, UsersPage.Path).ToString());
        await Expect(users.NoAccessHeading).ToBeVisibleAsync();
        await Expect(users.Table).ToHaveCountAsync(0);
        await Expect(users.Drawer.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Your projects" })).ToBeVisibleAsync();
        await Expect(users.AdministrationSection).ToHaveCountAsync(0);
        await Expect(users.UsersLink).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "forbidden");
        await page.Context.CloseAsync();
    }
}
