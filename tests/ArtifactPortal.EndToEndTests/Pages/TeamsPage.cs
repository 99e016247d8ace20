using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/admin/teams: site administrators manage site-wide teams.</summary>
public sealed class TeamsPage(IPage page) : PortalLayout(page)
{
    public const string Path = "admin/teams";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Teams", Exact = true });

    public ILocator Table => Page.GetByTestId("teams-table");

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public ILocator Row(string name) => Table.Locator("tbody tr").Filter(new() { HasText = name });

    public static async Task<TeamsPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Path);
        var teams = new TeamsPage(page);
        await Expect(teams.Heading).ToBeVisibleAsync();
        await teams.WaitForInteractiveAsync();
        return teams;
    }

    /// <summary>Creates a team; the portal then opens its members dialog.</summary>
    public async Task CreateAsync(string name, string description)
    {
        await Page.GetByTestId("new-team").ClickAsync();
        await Expect(Dialog.GetByTestId("team-name")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(name);
        await Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Description (optional)" }).FillAsync(description);
        await Dialog.GetByTestId("create-team").ClickAsync();
        await Expect(Dialog.GetByText($"Members of {name}")).ToBeVisibleAsync();
    }

    public async Task AddMemberAsync(string email)
    {
        await Dialog.GetByTestId("team-member-name").FillAsync(email);
        await Dialog.GetByTestId("add-team-member").ClickAsync();
        await Expect(Dialog.GetByTestId("team-members")).ToContainTextAsync(email);
    }

    public async Task DeleteAsync(string name)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {name}" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete team…" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(Page.GetByText($"Deleted team {name}.")).ToBeVisibleAsync();
    }
}
