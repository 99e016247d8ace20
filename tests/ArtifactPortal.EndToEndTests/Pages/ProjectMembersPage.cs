using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/p/{slug}/members: people, teams, access requests and invitations.</summary>
public sealed class ProjectMembersPage(IPage page) : ProjectPage(page)
{
    public ILocator MembersTable => Page.GetByTestId("members-table");

    public ILocator InvitationsTable => Page.GetByTestId("invitations-table");

    public ILocator AccessRequests => Page.GetByTestId("access-request");

    public ILocator InviteButton => Page.GetByTestId("invite");

    public ILocator AddMemberButton => Page.GetByTestId("add-member");

    public ILocator AddTeamButton => Page.GetByTestId("add-team");

    public ILocator TeamsTable => Page.GetByTestId("teams-table");

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    // MudTextField puts the test id on its input (a textarea here).
    public ILocator InviteLink => Dialog.GetByTestId("invite-link");

    public ILocator Member(string email) => MembersTable.Locator("tbody tr").Filter(new() { HasText = email });

    public ILocator AccessRequest(string email) => AccessRequests.Filter(new() { HasText = email });

    /// <summary>Opens the invite dialog and enters <paramref name="email"/>; the role stays at its default, Viewer.</summary>
    public async Task FillViewerInviteAsync(string email)
    {
        await InviteButton.ClickAsync();
        await Expect(Dialog).ToBeVisibleAsync();
        await Expect(Select("Role")).ToContainTextAsync("Viewer");
        await Dialog.GetByTestId("invite-email").FillAsync(email);
    }

    /// <summary>Creates the link and returns it as the dialog shows it.</summary>
    public async Task<string> CreateInviteAsync()
    {
        await Dialog.GetByTestId("create-invite").ClickAsync();
        await Expect(InviteLink).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/invite/[A-Za-z0-9_-]{43}$"));
        return await InviteLink.InputValueAsync();
    }

    public async Task CopyInviteAndCloseAsync()
    {
        await Dialog.GetByTestId("copy-invite").ClickAsync();
        await Expect(Page.GetByText("Invite link copied.")).ToBeVisibleAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    public ILocator Select(string label) => Dialog.Locator(".mud-input-control.mud-select").Filter(new() { HasText = label });

    /// <summary>Picks <paramref name="option"/> in the dialog's select labelled <paramref name="label"/>.</summary>
    public async Task SelectAsync(string label, string option)
    {
        var select = Select(label);
        await select.ClickAsync();
        await Page.GetByRole(AriaRole.Option).Filter(new() { HasText = option }).First.ClickAsync();
        await Expect(select).ToContainTextAsync(option);
    }

    public async Task AddMemberAsync(string email, string role)
    {
        await AddMemberButton.ClickAsync();
        await Expect(Dialog.GetByTestId("member-name")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(email);
        await SelectAsync("Role", role);
        await Dialog.GetByTestId("add-member-confirm").ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    public async Task ApproveAsync(string email, string role)
    {
        await AccessRequest(email).GetByRole(AriaRole.Button, new() { Name = "Approve as…" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = role, Exact = true }).ClickAsync();
    }
}
