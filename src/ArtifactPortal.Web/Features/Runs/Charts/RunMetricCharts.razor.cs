using ArtifactPortal.Core.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Plotly.Blazor;

namespace ArtifactPortal.Web.Features.Runs.Charts;

public sealed partial class RunMetricCharts : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Dictionary<string, IReadOnlyList<MetricSample>> _points = new(StringComparer.Ordinal);
    private Dictionary<string, MetricChartSeries> _series = new(StringComparer.Ordinal);
    private MetricXAxis _axis = MetricXAxis.Step;
    private string? _loadedSignature;
    private int _version;

    /// <summary>The run; when its metric summaries change (the run page polls while it runs) the points are fetched again.</summary>
    [Parameter, EditorRequired]
    public required RunDetails Run { get; set; }

    /// <summary>Exponential moving average weight, 0 (raw) to 0.99.</summary>
    [Parameter]
    public double Smoothing { get; set; } = 0.6;

    [Parameter]
    public bool LogScale { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private MetricService Metrics { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var signature = $"{Run.ProjectSlug}/{Run.Number}:" + string.Join(';', Run.Metrics.Select(m => $"{m.Key}={m.Count}@{m.LastStep}"));
        if (signature == _loadedSignature)
        {
            return;
        }

        _loadedSignature = signature;
        var user = (await AuthenticationState).User;
        _points.Clear();
        foreach (var metric in Run.Metrics)
        {
            try
            {
                var points = await Metrics.GetPointsAsync(user, Run.ProjectSlug, Run.Number, metric.Key, new MetricRange(), _cancellation.Token);
                _points[metric.Key] = points.Points;
            }
            catch (RunNotFoundException)
            {
                // The series vanished between the summary and the query; it is simply not drawn.
            }
        }

        Rebuild();
    }

    private void Rebuild()
    {
        _series = _points.ToDictionary(p => p.Key, p => MetricChartData.Build(p.Value, _axis, Run.StartedAt, Smoothing), StringComparer.Ordinal);
        _version++;
    }

    private Plotly.Blazor.Layout Layout() => MetricTraces.Layout(_axis, LogScale, showLegend: false);

    private IList<ITrace> Traces(string key, MetricChartSeries series) => [.. MetricTraces.Series(series, key, MetricTraces.Palette[0], Smoothing)];

    private void SetAxis(MetricXAxis axis)
    {
        _axis = axis;
        Rebuild();
    }

    private void SetSmoothing(double smoothing)
    {
        Smoothing = smoothing;
        Rebuild();
    }

    private void SetLogScale(bool logScale)
    {
        LogScale = logScale;
        _version++;
    }

    public void Dispose()
    {
        _cancellation.Cancel();
        _cancellation.Dispose();
    }
}
