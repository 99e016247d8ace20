using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace ArtifactPortal.Web.Features.Runs.Charts;

/// <summary>Plotly traces and layouts shared by the run page and the compare page.</summary>
public static class MetricTraces
{
    /// <summary>Line colours, one per run on the compare page (Plotly's default qualitative palette).</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static readonly Config Config = new() { Responsive = true, DisplayLogo = false };

    /// <summary>
    /// The traces of one series: the raw line (faint when smoothed), the smoothed line when <paramref name="smoothing"/> is above 0,
    /// and red markers where the value was NaN or ±Inf. Only the main line of each series shows in the legend.
    /// </summary>
    public static IEnumerable<ITrace> Series(MetricChartSeries series, string name, string color, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(series);
        var smoothed = smoothing > 0;
        yield return new Scatter
        {
            Name = smoothed ? $"{name} (raw)" : name,
            LegendGroup = name,
            ShowLegend = !smoothed,
            Mode = ModeFlag.Lines,
            X = series.X,
            Y = series.Raw,
            ConnectGaps = false,
            Opacity = smoothed ? 0.25m : 1m,
            Line = new Line { Color = color, Width = smoothed ? 1 : 1.5m },
            HoverTemplate = "%{x}<br>%{y:.8g}",
        };
        if (smoothed)
        {
            yield return new Scatter
            {
                Name = name,
                LegendGroup = name,
                Mode = ModeFlag.Lines,
                X = series.X,
                Y = series.Smoothed,
                ConnectGaps = false,
                Line = new Line { Color = color, Width = 2 },
                HoverTemplate = "%{x}<br>%{y:.8g} (smoothed)",
            };
        }

        if (series.GapX.Count > 0)
        {
            yield return new Scatter
            {
                Name = $"{name} (non-finite)",
                LegendGroup = name,
                ShowLegend = false,
                Mode = ModeFlag.Markers,
                X = series.GapX,
                Y = series.GapY,
                TextArray = series.GapText,
                Marker = new Marker { Color = "#d32f2f", Size = 9, Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.X },
                HoverTemplate = "%{x}<br>%{text}",
            };
        }
    }

    public static Layout Layout(MetricXAxis axis, bool logScale, bool showLegend, int height = 280) => new()
    {
        Height = height,
        Margin = new Margin { L = 56, R = 16, T = 8, B = 44 },
        ShowLegend = showLegend,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
        HoverMode = HoverModeEnum.Closest,
        XAxis =
        [
            new XAxis
            {
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = MetricChartData.AxisTitle(axis) },
                Type = axis == MetricXAxis.WallTime ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date : Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear,
            },
        ],
        YAxis = [new YAxis { Type = logScale ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear }],
    };
}
