using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Runs;

public sealed partial class RunPage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private RunDetails? _run;
    private (string, int)? _loadedFor;
    private bool _editing;
    private bool _busy;
    private bool _polling;
    private string? _notesText;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required int Number { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var cancellationToken = _cancellation.Next();
        try
        {
            _run = await Runs.GetAsync((await AuthenticationState).User, Slug, Number, cancellationToken);
            _loadedFor = (Slug, Number);
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _run = null;
        }
        catch (PortalNotFoundException)
        {
            Navigation.NotFound();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!_polling && RendererInfo.IsInteractive)
        {
            _polling = true;
            _ = PollAsync();
        }
    }

    /// <summary>A running run's status, duration and metric summaries refresh every few seconds until it ends.</summary>
    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(RunDisplay.LiveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_cancellation.Token))
            {
                if (_run is { Status: RunStatus.Running } && !_editing)
                {
                    var fresh = await Runs.GetAsync((await AuthenticationState).User, Slug, Number, _cancellation.Token);
                    await InvokeAsync(() =>
                    {
                        _run = fresh;
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private void StartEditing()
    {
        _notesText = _run?.Notes;
        _editing = true;
    }

    private async Task SaveNotesAsync()
    {
        _busy = true;
        try
        {
            _run = await Runs.UpdateAsync((await AuthenticationState).User, Slug, Number, new RunChanges(Notes: _notesText ?? ""), _cancellation.Token);
            _editing = false;
        }
        catch (Exception e) when (e is PortalRequestException or PortalConflictException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
