using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Models;

public sealed partial class WebhookSettingsPage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private IReadOnlyList<WebhookView>? _webhooks;
    private Guid? _loadedFor;
    private bool _busy;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private WebhookService Webhooks { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    // The frame, and so this load, only shows for people who may edit the settings.
    private async Task LoadAsync(ProjectAccess access)
    {
        _webhooks = await Webhooks.ListAsync(access, _cancellation.Next());
        _loadedFor = access.ProjectId;
    }

    private async Task CreateAsync(ProjectAccess access)
    {
        var parameters = new DialogParameters<NewWebhookDialog> { { d => d.Slug, access.Slug } };
        // The secret is on screen once: a stray click outside must not close it.
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false };
        var dialog = await Dialogs.ShowAsync<NewWebhookDialog>("Add webhook", parameters, options);
        if (await dialog.Result is { Canceled: false })
        {
            await ReloadAsync(access.Slug);
        }
    }

    private Task SetActiveAsync(WebhookView webhook, bool active) => RunAsync(
        user => Webhooks.SetActiveAsync(user, Slug, webhook.Id, active, _cancellation.Token),
        active ? $"{webhook.Url} is enabled." : $"{webhook.Url} is disabled: it gets no deliveries until enabled.");

    private async Task DeleteAsync(WebhookView webhook)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete webhook?",
            $"{webhook.Url} gets no more deliveries, queued ones are dropped, and its delivery log is deleted. This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(user => Webhooks.DeleteAsync(user, Slug, webhook.Id, _cancellation.Token), $"Deleted the webhook {webhook.Url}.");
        }
    }

    private async Task RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task> change, string done)
    {
        _busy = true;
        try
        {
            await change((await AuthenticationState).User);
            Snackbar.Add(done, Severity.Success);
        }
        catch (Exception e) when (e is PortalAccessDeniedException or PortalNotFoundException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
            await ReloadAsync(Slug);
        }
    }

    private async Task ReloadAsync(string slug) =>
        _webhooks = await Webhooks.ListAsync((await AuthenticationState).User, slug, _cancellation.Token);

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
