using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Models;

public sealed partial class ProtectedAliasSettingsPage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private IReadOnlyList<ProtectedAliasPolicy>? _policies;
    private Guid? _loadedFor;
    private bool _busy;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ProtectedAliasService ProtectedAliases { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task LoadAsync(ProjectAccess access)
    {
        _policies = await ProtectedAliases.ListAsync(access, _cancellation.Next());
        _loadedFor = access.ProjectId;
    }

    private Task AddAsync(ProjectAccess access) => OpenDialogAsync(access, null, "Protect an alias");

    private Task EditAsync(ProjectAccess access, ProtectedAliasPolicy policy) => OpenDialogAsync(access, policy, $"Policy for {policy.Name}");

    private async Task OpenDialogAsync(ProjectAccess access, ProtectedAliasPolicy? policy, string title)
    {
        var parameters = new DialogParameters<ProtectedAliasDialog>
        {
            { d => d.Slug, access.Slug },
            { d => d.Policy, policy },
            { d => d.ExistingNames, (_policies ?? []).Select(p => p.Name).ToList() },
        };
        var dialog = await Dialogs.ShowAsync<ProtectedAliasDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: string name })
        {
            Snackbar.Add(policy is null ? $"'{name}' is protected." : $"Policy for '{name}' saved.", Severity.Success);
            await ReloadAsync(access);
        }
    }

    private async Task RemoveAsync(ProjectAccess access, ProtectedAliasPolicy policy)
    {
        var user = (await AuthenticationState).User;
        var holders = await ProtectedAliases.CountModelsHoldingAsync(user, access.Slug, policy.Name, _cancellation.Token);
        var held = holders switch
        {
            0 => "No model holds it now.",
            1 => "The model holding it keeps its version.",
            _ => $"The {holders} models holding it keep their versions.",
        };
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Unprotect {policy.Name}?",
            $"'{policy.Name}' becomes a free alias: any Editor can move it without review. {held} "
            + "Open promotion requests for it stay and can still be approved or withdrawn.",
            yesText: "Unprotect", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            await ProtectedAliases.RemoveAsync(user, access.Slug, policy.Name, _cancellation.Token);
            Snackbar.Add($"'{policy.Name}' is no longer protected.", Severity.Success);
            await ReloadAsync(access);
        }
        catch (Exception e) when (e is PortalAccessDeniedException or PortalNotFoundException)
        {
            Snackbar.Add(e.Message, Severity.Error);
            await ReloadAsync(access);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ReloadAsync(ProjectAccess access) =>
        _policies = await ProtectedAliases.ListAsync((await AuthenticationState).User, access.Slug, _cancellation.Token);

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
