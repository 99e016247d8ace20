using System.Globalization;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Components.Shared;
using ArtifactPortal.Web.Features.Runs.Charts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Plotly.Blazor;

namespace ArtifactPortal.Web.Features.Runs;

public sealed partial class RunComparePage : IDisposable
{
    /// <summary>
    /// Up to 10 runs share a half-width chart (~550 px): 600 points a line (300 min/max buckets, about one per 2 px) draw the
    /// same envelope as 1,500 while Plotly draws and the circuit carries 2.5× fewer.
    /// </summary>
    internal const int PointsPerLine = 600;

    private readonly LoadCancellation _cancellation = new();
    private Dictionary<string, IReadOnlyList<MetricOverlayLine>> _lines = [];
    private IReadOnlyList<RunMetrics>? _runs;
    private List<string> _paramKeys = [];
    private List<string> _metricKeys = [];
    private string? _metric;
    private string? _param;
    private IList<ITrace> _parallel = [];
    private IList<ITrace> _scatter = [];
    private Plotly.Blazor.Layout _parallelLayout = new();
    private Plotly.Blazor.Layout _scatterLayout = new();
    private int _version;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    /// <summary>Run numbers separated by commas, e.g. <c>1,3</c>.</summary>
    [SupplyParameterFromQuery(Name = "runs")]
    public string? Runs { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private MetricService Metrics { get; set; } = default!;

    /// <summary>The run numbers in a <c>runs</c> query value; anything that is not a positive number is ignored.</summary>
    public static IReadOnlyList<int> ParseNumbers(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n > 0)
            .Distinct()
            .Take(MetricTraces.Palette.Count * 2)];

    protected override async Task OnParametersSetAsync()
    {
        var cancellationToken = _cancellation.Next();
        var user = (await AuthenticationState).User;
        try
        {
            var numbers = ParseNumbers(Runs);
            var runs = await Metrics.CompareAsync(user, Slug, numbers, cancellationToken);
            // Prerendering cannot draw a chart: the points are read once, by the interactive render that follows.
            IReadOnlyList<RunMetricPoints> series = RendererInfo.IsInteractive
                ? await Metrics.GetSeriesForRunsAsync(user, Slug, numbers, keys: null, new MetricRange(MaxPoints: PointsPerLine), cancellationToken)
                : [];
            _runs = runs;
            // Built once here, not on every render: the charts redraw only when these lists change.
            var colors = runs.Select((r, i) => (r.Number, Color: MetricTraces.Palette[i % MetricTraces.Palette.Count], r.Name)).ToDictionary(r => r.Number);
            _lines = series.Where(s => colors.ContainsKey(s.Number))
                .GroupBy(s => s.Points.Key, StringComparer.Ordinal)
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<MetricOverlayLine>)[.. g.Select(s => MetricOverlayLine.From(colors[s.Number].Name, colors[s.Number].Color, s.Points.Points))],
                    StringComparer.Ordinal);
            _paramKeys = [.. runs.SelectMany(r => r.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            _metricKeys = [.. runs.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            // Start with what tells most: a param that differs between the runs and a metric whose last values differ.
            _metric = _metricKeys.Contains(_metric ?? "")
                ? _metric
                : _metricKeys.FirstOrDefault(k => CompareTraces.MetricValues(runs, k).Distinct().Count() > 1) ?? _metricKeys.FirstOrDefault();
            _param = _paramKeys.Contains(_param ?? "")
                ? _param
                : _paramKeys.FirstOrDefault(k => runs.Select(r => r.Params.GetValueOrDefault(k)).Distinct().Count() > 1) ?? _paramKeys.FirstOrDefault();
            Redraw();
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _runs = null;
        }
    }

    private void Redraw()
    {
        if (_runs is null || _metric is null)
        {
            return;
        }

        _parallel = CompareTraces.Parallel(_runs, _paramKeys, _metric);
        _parallelLayout = CompareTraces.ParallelLayout();
        if (_param is not null)
        {
            _scatter = CompareTraces.Scatter(_runs, _param, _metric);
            _scatterLayout = CompareTraces.ScatterLayout(_runs, _param, _metric);
        }

        _version++;
    }

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
