using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Analysis;

/// <summary>
/// Shows the version's jobs and, while one is queued or running, polls their rows (cheap, and it works whichever node
/// runs the job, unlike in-process events); when one finishes it tells the page and shows a small notification.
/// </summary>
public sealed partial class AnalysisJobsStrip : IAsyncDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private IReadOnlyList<AnalysisJobStatus> _jobs = [];
    private ArtifactVersionDetails? _loadedFor;
    private Task? _polling;

    /// <summary>The caller's access as the project shell looked it up: the strip reads the jobs without looking it up again.</summary>
    [Parameter, EditorRequired]
    public required ProjectAccess Access { get; set; }

    /// <summary>The version the page shows; its files name the tables in notifications.</summary>
    [Parameter, EditorRequired]
    public required ArtifactVersionDetails Version { get; set; }

    [Parameter]
    public bool CanRerun { get; set; }

    [Parameter]
    public EventCallback<AnalysisJobStatus> OnJobFinished { get; set; }

    /// <summary>How often rows are read while a job is active.</summary>
    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The jobs the prerendered page showed, carried into the circuit: a job that finishes while the circuit starts is then
    /// still seen to finish (a notification, the new thumbnails) rather than first showing up as done. Blazor supplies the
    /// restored list again at every parameter update, so it is read once and otherwise kept equal to the jobs shown.
    /// </summary>
    [PersistentState]
    public IReadOnlyList<AnalysisJobStatus>? PrerenderedJobs { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private AnalysisService Analysis { get; set; } = default!;

    [Inject]
    private IFileStatisticsCalculator Statistics { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string Reference => $"v{Version.Version.Number}";

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor is { } loaded && (loaded.ArtifactId, loaded.Version.Number) == (Version.ArtifactId, Version.Version.Number))
        {
            PrerenderedJobs = _jobs;
            return;
        }

        // Marked before the query, so that a parent's render while it runs does not start a second one.
        var first = _loadedFor is null;
        _loadedFor = Version;
        _jobs = first && PrerenderedJobs is { } shown ? shown : await Analysis.GetJobsAsync(Access, Version, _cancellation.Token);
        PrerenderedJobs = _jobs;
        StartPolling();
    }

    private void StartPolling()
    {
        if (_jobs.Any(j => j.IsActive) && _polling is not { IsCompleted: false })
        {
            _polling = PollAsync(_cancellation.Token);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var jobs = await Analysis.GetJobsAsync(Access, Version, cancellationToken);
                var finished = jobs.Where(j => !j.IsActive && _jobs.Any(old => old.Kind == j.Kind && old.IsActive)).ToList();
                await InvokeAsync(async () =>
                {
                    _jobs = jobs;
                    foreach (var job in finished)
                    {
                        Notify(job);
                        await OnJobFinished.InvokeAsync(job);
                    }

                    StateHasChanged();
                });
                if (!jobs.Any(j => j.IsActive))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
        catch (Exception e)
        {
            // Handled like an error in an event handler; otherwise it would surface only when DisposeAsync awaits the task.
            await DispatchExceptionAsync(e);
        }
    }

    private async Task RerunAsync(AnalysisKind kind)
    {
        try
        {
            await Analysis.RerunAsync((await AuthenticationState).User, Access.Slug, Version.ArtifactName, Reference, kind, _cancellation.Token);
        }
        catch (Exception e) when (e is PortalConflictException or PortalRequestException)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }

        _jobs = await Analysis.GetJobsAsync(Access, Version, _cancellation.Token);
        StartPolling();
    }

    private void Notify(AnalysisJobStatus job)
    {
        if (job.Status == AnalysisStatus.Failed)
        {
            Snackbar.Add($"{Title(job.Kind)} failed: {job.Error}", Severity.Error);
            return;
        }

        var tables = Version.Files.Where(f => Statistics.CanCalculate(f.Path, f.MediaType)).Select(f => MediaTypes.FileName(f.Path)).ToList();
        Snackbar.Add(job.Kind == AnalysisKind.Statistics
            ? $"Statistics ready for {(tables.Count == 1 ? tables[0] : $"{tables.Count} files")}"
            : "Thumbnails ready", Severity.Success);
    }

    private static string Title(AnalysisKind kind) => kind == AnalysisKind.Statistics ? "Statistics" : "Thumbnails";

    private static string StatusText(AnalysisJobStatus job) => job.Status switch
    {
        AnalysisStatus.Running => $"running {job.Progress * 100:0}%",
        AnalysisStatus.Succeeded => "done",
        _ => job.Status.ToString().ToLowerInvariant(),
    };

    private static Color StatusColor(AnalysisStatus status) => status switch
    {
        AnalysisStatus.Running => Color.Primary,
        AnalysisStatus.Succeeded => Color.Success,
        AnalysisStatus.Failed => Color.Error,
        _ => Color.Default,
    };

    public async ValueTask DisposeAsync()
    {
        _cancellation.Dispose();
        if (_polling is not null)
        {
            await _polling;
        }
    }
}
