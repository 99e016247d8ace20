using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/admin/users: site administrators manage accounts.</summary>
public sealed class UsersPage(IPage page) : PortalLayout(page)
{
    public const string Path = "admin/users";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true });

    public ILocator NoAccessHeading => Page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" });

    public ILocator Table => Page.GetByTestId("users-table");

    public ILocator Rows => Table.Locator("tbody tr");

    public ILocator Search => Page.GetByPlaceholder("Search by name or email");

    public ILocator NoMatch => Table.GetByText("No user matches");

    public static async Task<UsersPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Path);
        var users = new UsersPage(page);
        await users.WaitForInteractiveAsync();
        return users;
    }

    public ILocator Row(string email) => Rows.Filter(new() { HasText = email });

    public ILocator ActionsButton(string email) => Page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {email}" });

    public async Task SearchAsync(string text) => await Search.FillAsync(text);
}
