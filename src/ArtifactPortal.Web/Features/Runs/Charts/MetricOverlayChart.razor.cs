using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ArtifactPortal.Web.Features.Runs.Charts;

/// <summary>One run's line on a <see cref="MetricOverlayChart"/>; a null y is a gap (NaN or ±Inf), drawn as a red marker.</summary>
public sealed record MetricOverlayLine(
    string Name, string Color, IReadOnlyList<long> X, IReadOnlyList<double?> Y, IReadOnlyList<long> GapX, IReadOnlyList<double> GapY, IReadOnlyList<string> GapText)
{
    /// <summary>A series of downsampled points in step order as one line.</summary>
    public static MetricOverlayLine From(string name, string color, IReadOnlyList<Core.Runs.MetricSample> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (x, y) = (new long[points.Count], new double?[points.Count]);
        List<long> gapX = [];
        List<double> gapY = [];
        List<string> gapText = [];
        double? lastFinite = null;
        for (var i = 0; i < points.Count; i++)
        {
            var (step, value) = (points[i].Step, points[i].Value);
            x[i] = step;
            if (double.IsFinite(value))
            {
                y[i] = lastFinite = value;
            }
            else
            {
                gapX.Add(step);
                gapY.Add(lastFinite ?? 0);
                gapText.Add(MetricChartData.Describe(value));
            }
        }

        return new MetricOverlayLine(name, color, x, y, gapX, gapY, gapText);
    }
}

/// <summary>
/// A Plotly line chart of several series drawn by MetricOverlayChart.razor.js. Plotly.Blazor's PlotlyChart serialises every
/// trace through its object model (boxed points, then a second JSON pass); with 10 runs × 1,500 points a chart that cost more
/// than Plotly's own drawing, so this component sends plain number arrays in one call.
/// </summary>
public sealed partial class MetricOverlayChart
{
    internal const string ModulePath = "./Features/Runs/Charts/MetricOverlayChart.razor.js";

    private readonly LoadCancellation _cancellation = new();
    private ElementReference _element;
    private IJSObjectReference? _module;
    private IReadOnlyList<MetricOverlayLine>? _drawn;

    [Parameter, EditorRequired]
    public required IReadOnlyList<MetricOverlayLine> Lines { get; set; }

    [Parameter]
    public string XTitle { get; set; } = "step";

    [Parameter]
    public int Height { get; set; } = 320;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (ReferenceEquals(_drawn, Lines))
        {
            return;
        }

        _drawn = Lines;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _cancellation.Token, ModulePath);
            await _module.InvokeVoidAsync("draw", _cancellation.Token, _element, new { lines = Lines, xTitle = XTitle, height = Height });
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException)
        {
            // The page is gone; nothing to draw on.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cancellation.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("dispose", _element);
                await _module.DisposeAsync();
            }
            catch (Exception e) when (e is JSDisconnectedException or TaskCanceledException)
            {
                // The circuit is gone, and the chart with it.
                // (A closed tab disposes the circuit while its calls wait for the browser; they end cancelled.)
            }
        }
    }
}
