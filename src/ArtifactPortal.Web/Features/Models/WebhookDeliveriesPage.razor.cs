using System.Globalization;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Models;

public sealed partial class WebhookDeliveriesPage : IDisposable
{
    public const int PageSize = 25;
    private const int ErrorExcerptLength = 120;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly LoadCancellation _cancellation = new();
    private WebhookView? _webhook;
    private IReadOnlyList<WebhookDeliveryView>? _deliveries;
    private int _skip;
    private bool _hasOlder;
    private bool _missing;
    private bool _busy;
    private bool _polling;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required Guid WebhookId { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private WebhookService Webhooks { get; set; } = default!;

    [Inject]
    private ProjectAccessService Projects { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    // The frame, and so this load, only shows for people who may edit the settings; it raises it for each webhook's address.
    private async Task ShowAsync(ProjectAccess access)
    {
        _skip = 0;
        try
        {
            _webhook = await Webhooks.GetAsync(access, WebhookId, _cancellation.Next());
            _missing = false;
        }
        catch (PortalNotFoundException)
        {
            _webhook = null;
            _missing = true;
            return;
        }

        await LoadAsync(access);
    }

    /// <param name="access">The shell's, on the page's first load; later loads (paging, polling) look the project up again.</param>
    private async Task LoadAsync(ProjectAccess? access = null)
    {
        await LoadPageAsync(access);
        if (!_polling && _deliveries?.Any(d => d.Status is WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.Sending) == true)
        {
            _ = PollAsync();
        }
    }

    private async Task LoadPageAsync(ProjectAccess? access = null)
    {
        try
        {
            // One more than a page tells whether there are older deliveries.
            access ??= await Projects.DemandAsync((await AuthenticationState).User, Slug, ProjectOperation.EditSettings, _cancellation.Token);
            var rows = await Webhooks.ListDeliveriesAsync(access, WebhookId, _skip, PageSize + 1, _cancellation.Token);
            _hasOlder = rows.Count > PageSize;
            _deliveries = [.. rows.Take(PageSize)];
        }
        catch (PortalNotFoundException)
        {
            _missing = true;
        }
    }

    /// <summary>While a delivery on screen is pending, looks again every few seconds so its outcome appears without a reload.</summary>
    private async Task PollAsync()
    {
        _polling = true;
        try
        {
            while (_deliveries?.Any(d => d.Status is WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.Sending) == true && !_missing)
            {
                await Task.Delay(PollInterval, _cancellation.Token);
                await InvokeAsync(async () =>
                {
                    await LoadPageAsync();
                    StateHasChanged();
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The page was left.
        }
        finally
        {
            _polling = false;
        }
    }

    private async Task PageAsync(int direction)
    {
        _skip = Math.Max(0, _skip + direction * PageSize);
        await LoadAsync();
    }

    private string RangeText() => _deliveries is not { Count: > 0 } ? "" : $"{_skip + 1}–{_skip + _deliveries.Count}";

    private static string Exact(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);

    private static string Excerpt(string error) => error.Length <= ErrorExcerptLength ? error : error[..ErrorExcerptLength] + "…";

    private async Task RedeliverAsync(WebhookDeliveryView delivery)
    {
        _busy = true;
        try
        {
            await Webhooks.RedeliverAsync((await AuthenticationState).User, Slug, WebhookId, delivery.Id, _cancellation.Token);
            Snackbar.Add($"{delivery.Event} is queued to be sent again.", Severity.Success);
        }
        catch (Exception e) when (e is PortalConflictException or PortalNotFoundException or PortalAccessDeniedException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
            await LoadAsync();
        }
    }

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
