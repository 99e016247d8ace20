using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Projects;

/// <summary>The members tab: people, teams, access requests and invitations of one project.</summary>
public partial class ProjectMembers
{
    private ProjectPeople? _people;
    private IReadOnlyList<AccessRequestListItem> _requests = [];
    private IReadOnlyList<InvitationListItem> _invitations = [];
    private IReadOnlyList<ProjectRole> _assignable = [];
    private string? _search;
    private string? _userId;
    private ProjectRole? _myRole;
    private bool _canManage;
    private bool _canManageOwners;
    private bool _canTransfer;
    private string? _loadedSlug;

    [Inject]
    private ProjectAccessService Projects { get; set; } = default!;

    [Inject]
    private ProjectMemberService Members { get; set; } = default!;

    [Inject]
    private AccessRequestService AccessRequests { get; set; } = default!;

    [Inject]
    private InvitationService Invitations { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Parameter, EditorRequired]
    public required ProjectAccess Access { get; set; }

    private DateTimeOffset Now => Time.GetUtcNow();

    protected override async Task OnParametersSetAsync()
    {
        // Buttons only; the services check every action again.
        _canManage = Access.Can(ProjectOperation.ManageMembers);
        _canManageOwners = Access.Can(ProjectOperation.ManageOwners);
        _canTransfer = Access.Can(ProjectOperation.TransferOwnership);
        _assignable = ProjectRoles.Assignable(Access);
        if (_loadedSlug != Access.Slug)
        {
            _loadedSlug = Access.Slug;
            _userId = (await UserAsync()).UserId();
            await LoadAsync(Access);
        }
    }

    private static bool SameAsName(string userName, string email) => string.Equals(userName, email, StringComparison.OrdinalIgnoreCase);

    /// <param name="access">
    /// The access the shell looked up for this render; without it the project is looked up again, so that a reload after a
    /// search or a change sees a role someone changed meanwhile.
    /// </param>
    private async Task LoadAsync(ProjectAccess? access = null)
    {
        var user = await UserAsync();
        try
        {
            access ??= await Projects.DemandAsync(user, Access.Slug, ProjectOperation.View);
            _people = await Members.ListAsync(user, access, _search);
            _myRole = _people.Members.FirstOrDefault(m => m.UserId == _userId)?.Role;
            if (_canManage)
            {
                _requests = await AccessRequests.ListPendingAsync(access);
                _invitations = await Invitations.ListOpenAsync(access);
            }
        }
        catch (Exception e) when (e is PortalAccessDeniedException or ProjectNotFoundException)
        {
            // Someone changed the caller's own role meanwhile: a fresh load shows what they may see now.
            Navigation.Refresh(forceReload: true);
        }
    }

    private async Task SearchAsync(string? search)
    {
        _search = search;
        await LoadAsync();
    }

    private async Task AddMemberAsync()
    {
        var parameters = new DialogParameters<AddMemberDialog> { { d => d.Slug, Access.Slug }, { d => d.Roles, _assignable } };
        await ShowAndReloadAsync<AddMemberDialog>("Add member", parameters);
    }

    private async Task AddTeamAsync()
    {
        var parameters = new DialogParameters<AddTeamDialog>
        {
            { d => d.Slug, Access.Slug },
            { d => d.Roles, _assignable },
            { d => d.ExistingTeamIds, _people?.Teams.Select(t => t.TeamId).ToHashSet() ?? [] },
        };
        await ShowAndReloadAsync<AddTeamDialog>("Add team", parameters);
    }

    private async Task InviteAsync()
    {
        var parameters = new DialogParameters<CreateInvitationDialog> { { d => d.Slug, Access.Slug }, { d => d.Roles, _assignable } };
        // A stray click beside the dialog must not throw away a link that is shown only once.
        await ShowAndReloadAsync<CreateInvitationDialog>("Invite link", parameters, backdropClick: false);
    }

    private async Task ShowAndReloadAsync<TDialog>(string title, DialogParameters<TDialog> parameters, bool backdropClick = true)
        where TDialog : ComponentBase
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = backdropClick };
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, options);
        await dialog.Result;
        await LoadAsync();
    }

    private Task ChangeRoleAsync(ProjectMemberListItem member, ProjectRole role) =>
        RunAsync(async user => Outcome(await Members.ChangeRoleAsync(user, Access.Slug, member.UserId, role)), $"{member.UserName} is now {role}.",
            member.UserId == _userId ? AfterwardsReload : null);

    private async Task TransferAsync(ProjectMemberListItem member)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Transfer ownership",
            $"{member.UserName} becomes an Owner of {Access.Name}, and you become a Maintainer. Only an Owner can make you an Owner again.",
            yesText: "Transfer", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(
                async user => Outcome(await Members.TransferOwnershipAsync(user, Access.Slug, member.UserId, stepDown: true)),
                $"{member.UserName} is now an Owner; you are a Maintainer.", AfterwardsReload);
        }
    }

    private async Task RemoveAsync(ProjectMemberListItem member)
    {
        var self = member.UserId == _userId;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            self ? "Leave project" : "Remove member",
            self
                ? $"You lose your own role in {Access.Name}; you keep any role a team gives you."
                : $"{member.UserName} loses their own role in {Access.Name}. Roles they have through a team stay.",
            yesText: self ? "Leave" : "Remove", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(async user => Outcome(await Members.RemoveAsync(user, Access.Slug, member.UserId)),
                self ? $"You left {Access.Name}." : $"Removed {member.UserName}.", self ? () => Navigation.NavigateTo("") : null);
        }
    }

    private Task ChangeTeamRoleAsync(ProjectTeamListItem team, ProjectRole role) =>
        RunAsync(async user => Outcome(await Members.ChangeTeamRoleAsync(user, Access.Slug, team.TeamId, role)), $"Team {team.Name} is now {role}.");

    private async Task RemoveTeamAsync(ProjectTeamListItem team)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Remove team",
            $"The {team.MemberCount} people in {team.Name} lose the {team.Role} role it gives them in {Access.Name}. Their own roles stay.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(async user => Outcome(await Members.RemoveTeamAsync(user, Access.Slug, team.TeamId)), $"Removed team {team.Name}.");
        }
    }

    private Task ApproveAsync(AccessRequestListItem request, ProjectRole role) =>
        RunAsync(async user => Outcome(await AccessRequests.ApproveAsync(user, Access.Slug, request.Id, role)),
            $"{request.UserName} joined as {role}.");

    private Task DenyAsync(AccessRequestListItem request) =>
        RunAsync(async user => Outcome(await AccessRequests.DenyAsync(user, Access.Slug, request.Id)), $"Denied {request.UserName}'s request.");

    private async Task RevokeAsync(InvitationListItem invitation)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Revoke invitation", $"The link for {invitation.Email ?? "anyone with the link"} stops working at once.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(async user => Outcome(await Invitations.RevokeAsync(user, Access.Slug, invitation.Id)), "Invitation revoked.");
        }
    }

    private static string? Outcome<T>(Result<T> result) => result.Succeeded ? null : result.ErrorMessage;

    /// <summary>
    /// Runs one change, reports it in a snackbar and reloads the lists (someone else may have changed them too).
    /// Changes to the caller's own role run <paramref name="afterwards"/> instead, since what they may see changed.
    /// </summary>
    private async Task RunAsync(Func<ClaimsPrincipal, Task<string?>> change, string success, Action? afterwards = null)
    {
        try
        {
            var error = await change(await UserAsync());
            Snackbar.Add(error ?? success, error is null ? Severity.Success : Severity.Error);
            if (error is null && afterwards is not null)
            {
                afterwards();
                return;
            }
        }
        catch (PortalAccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }

        await LoadAsync();
    }

    private void AfterwardsReload() => Navigation.Refresh(forceReload: true);

    private async Task<ClaimsPrincipal> UserAsync() => (await AuthenticationState).User;
}
