using ArtifactPortal.Core.Runs;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;

namespace ArtifactPortal.Web.Features.Runs.Charts;

/// <summary>The compare page's param charts: parallel coordinates of params against a metric, and one param against a metric.</summary>
public static class CompareTraces
{
    /// <summary>
    /// Values of one param across runs for an axis: numbers when every present value is numeric, otherwise category indexes
    /// with their labels. A missing value is <c>null</c>.
    /// </summary>
    public static (IList<object?> Values, IList<object>? TickValues, IList<object>? TickText) Axis(IReadOnlyList<RunMetrics> runs, string param)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var raw = runs.Select(r => r.Params.GetValueOrDefault(param)).ToList();
        if (raw.All(v => v is null || MetricChartData.Number(v) is not null))
        {
            return ([.. raw.Select(v => (object?)MetricChartData.Number(v))], null, null);
        }

        var categories = raw.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return ([.. raw.Select(v => v is null ? null : (object?)categories.IndexOf(v))], [.. categories.Select((_, i) => (object)i)], [.. categories]);
    }

    /// <summary>The last value of <paramref name="metric"/> per run (null where a run lacks it or it is not finite).</summary>
    public static IList<object?> MetricValues(IReadOnlyList<RunMetrics> runs, string metric) =>
        [.. runs.Select(r => r.Metrics.FirstOrDefault(m => m.Key == metric)?.Last is { } last && double.IsFinite(last) ? (object?)last : null)];

    public static IList<ITrace> Parallel(IReadOnlyList<RunMetrics> runs, IReadOnlyList<string> paramKeys, string metric)
    {
        ArgumentNullException.ThrowIfNull(paramKeys);
        var metricValues = MetricValues(runs, metric);
        var dimensions = new List<Plotly.Blazor.Traces.ParCoordsLib.Dimension>();
        foreach (var param in paramKeys)
        {
            var (values, tickValues, tickText) = Axis(runs, param);
            dimensions.Add(new Plotly.Blazor.Traces.ParCoordsLib.Dimension { Label = param, Values = values, TickVals = tickValues, TickText = tickText });
        }

        dimensions.Add(new Plotly.Blazor.Traces.ParCoordsLib.Dimension { Label = metric, Values = metricValues });
        return
        [
            new ParCoords
            {
                Dimensions = [.. dimensions],
                Line = new Plotly.Blazor.Traces.ParCoordsLib.Line { ColorArray = metricValues, ColorScale = "Viridis", ShowScale = false },
            },
        ];
    }

    public static Layout ParallelLayout() => new() { Height = 360, Margin = new Margin { L = 64, R = 64, T = 56, B = 24 } };

    public static IList<ITrace> Scatter(IReadOnlyList<RunMetrics> runs, string param, string metric)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (values, _, _) = Axis(runs, param);
        var metricValues = MetricValues(runs, metric);
        return
        [
            .. runs.Select((run, i) => (ITrace)new Scatter
            {
                Name = run.Name,
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                X = [values[i]],
                Y = [metricValues[i]],
                Marker = new Plotly.Blazor.Traces.ScatterLib.Marker { Size = 12, Color = MetricTraces.Palette[i % MetricTraces.Palette.Count] },
                HoverTemplate = $"{run.Name}<br>{param} %{{x}}<br>{metric} %{{y:.8g}}<extra></extra>",
            }),
        ];
    }

    public static Layout ScatterLayout(IReadOnlyList<RunMetrics> runs, string param, string metric)
    {
        var (_, tickValues, tickText) = Axis(runs, param);
        return new Layout
        {
            Height = 360,
            Margin = new Margin { L = 64, R = 16, T = 24, B = 56 },
            ShowLegend = false,
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = param }, TickVals = tickValues, TickText = tickText }],
            YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = metric } }],
        };
    }
}
