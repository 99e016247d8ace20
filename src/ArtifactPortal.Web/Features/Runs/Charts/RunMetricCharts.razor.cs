using System.Text.Json;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.LayoutLib.XAxisLib;

namespace ArtifactPortal.Web.Features.Runs.Charts;

public sealed partial class RunMetricCharts : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private readonly Dictionary<string, IReadOnlyList<MetricSample>> _points = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlotlyChart> _charts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Zoom> _zoom = new(StringComparer.Ordinal);
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

        if (!RendererInfo.IsInteractive)
        {
            // Prerendering cannot draw a chart: the points are read once, by the interactive render that follows.
            return;
        }

        _loadedSignature = signature;
        var user = (await AuthenticationState).User;
        var series = await Metrics.GetSeriesForRunsAsync(
            user, Run.ProjectSlug, [Run.Number], [.. Run.Metrics.Select(m => m.Key)], new MetricRange(), _cancellation.Token);
        _points.Clear();
        foreach (var (_, points) in series)
        {
            _points[points.Key] = points.Points;
        }

        // A live run keeps the ranges the user zoomed into.
        foreach (var (key, zoom) in _zoom.Where(z => _points.ContainsKey(z.Key)).ToList())
        {
            _points[key] = await ReadAsync(key, zoom.Range) ?? _points[key];
        }

        Rebuild();
    }

    private void Rebuild()
    {
        _series = _points.ToDictionary(p => p.Key, p => MetricChartData.Build(p.Value, _axis, Run.StartedAt, Smoothing), StringComparer.Ordinal);
        _version++;
    }

    private Plotly.Blazor.Layout Layout(string key)
    {
        var layout = MetricTraces.Layout(_axis, LogScale, showLegend: false);
        if (_zoom.TryGetValue(key, out var zoom))
        {
            KeepRange(layout.XAxis[0], zoom.Shown);
        }

        return layout;
    }

    private IList<ITrace> Traces(string key, MetricChartSeries series) => [.. MetricTraces.Series(series, key, MetricTraces.Palette[0], Smoothing)];

    private void SubscribeZoom(string key)
    {
        if (_charts.GetValueOrDefault(key) is { } chart)
        {
            _ = SubscribeAsync(chart);
        }

        async Task SubscribeAsync(PlotlyChart chart)
        {
            try
            {
                await chart.SubscribeRelayoutEvent(_cancellation.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or JSDisconnectedException or ObjectDisposedException)
            {
                // The page closed before the chart was drawn.
            }
        }
    }

    /// <summary>
    /// A zoom on the step axis reads that range again at full resolution (up to the chart's point budget) and redraws the
    /// chart in place; a double-click (autorange) goes back to the whole series.
    /// </summary>
    private void OnRelayout(string key, RelayoutEventData data) => _ = InvokeAsync(async () =>
    {
        try
        {
            await ZoomAsync(key, data);
        }
        catch (Exception e) when (e is OperationCanceledException or JSDisconnectedException or ObjectDisposedException)
        {
            // The page closed while the range was read.
        }
    });

    private async Task ZoomAsync(string key, RelayoutEventData data)
    {
        if (_axis != MetricXAxis.Step || !_charts.TryGetValue(key, out var chart))
        {
            return;
        }

        var range = MetricChartData.StepRange(data.XRange);
        var reset = range is null && data.RawData?.TryGetValue("xaxis.autorange", out var auto) == true && auto.ValueKind == JsonValueKind.True;
        var current = _zoom.TryGetValue(key, out var zoom) ? zoom.Range : ((long, long)?)null;
        if ((range is null && !reset) || range == current || (reset && current is null))
        {
            // Not a change of the x axis (a resize, the y axis alone), or nothing new to read.
            return;
        }

        if (await ReadAsync(key, range) is not { } points)
        {
            return;
        }

        _points[key] = points;
        _series[key] = MetricChartData.Build(points, _axis, Run.StartedAt, Smoothing);
        chart.Data.Clear();
        foreach (var trace in Traces(key, _series[key]))
        {
            chart.Data.Add(trace);
        }

        if (range is { } steps)
        {
            _zoom[key] = new Zoom(steps, [data.XRange![0], data.XRange[1]]);
            KeepRange(chart.Layout.XAxis[0], _zoom[key].Shown);
        }
        else
        {
            _zoom.Remove(key);
            (chart.Layout.XAxis[0].AutoRange, chart.Layout.XAxis[0].Range) = (AutoRangeEnum.True, null);
        }

        await chart.React(_cancellation.Token);
    }

    /// <summary>The points of one key, in a step range or (null) the whole series; null when the series is gone.</summary>
    private async Task<IReadOnlyList<MetricSample>?> ReadAsync(string key, (long MinStep, long MaxStep)? range)
    {
        var read = await Metrics.GetSeriesForRunsAsync(
            (await AuthenticationState).User, Run.ProjectSlug, [Run.Number], [key],
            range is { } r ? new MetricRange(r.MinStep, r.MaxStep) : new MetricRange(), _cancellation.Token);
        return read.Count == 0 ? null : read[0].Points.Points;
    }

    /// <summary>Keeps the user's view: without a fixed range Plotly would fit the axis to the new points.</summary>
    private static void KeepRange(Plotly.Blazor.LayoutLib.XAxis axis, IList<object> shown) => (axis.AutoRange, axis.Range) = (AutoRangeEnum.False, shown);

    private async Task SetAxisAsync(MetricXAxis axis)
    {
        _axis = axis;
        if (_zoom.Count == 0)
        {
            Rebuild();
            return;
        }

        // Step ranges mean nothing on a time axis: back to the whole series.
        _zoom.Clear();
        _loadedSignature = null;
        await OnParametersSetAsync();
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
        _cancellation.Dispose();
    }

    /// <param name="Range">The whole steps read at full resolution.</param>
    /// <param name="Shown">The x range as Plotly reported it, to draw the chart as the user left it.</param>
    private sealed record Zoom((long MinStep, long MaxStep) Range, IList<object> Shown);
}
