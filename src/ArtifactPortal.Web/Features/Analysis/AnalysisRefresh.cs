namespace ArtifactPortal.Web.Features.Analysis;

/// <summary>
/// Tells a version's result views that a job finished. A stable object rather than a changing parameter, because MudTabs
/// renders a panel's content from its own render and would hand the panel a stale value.
/// </summary>
public sealed class AnalysisRefresh
{
    public event Func<Task>? Requested;

    public Task RequestAsync() => Requested?.Invoke() ?? Task.CompletedTask;
}
