using System.Globalization;
using System.Security;
using System.Text;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Infrastructure.Thumbnails;

/// <summary>An SVG of small bar charts: the histograms of the first numeric columns, else the top values of the first text columns.</summary>
internal static class StatisticsChart
{
    private const int MaxPanels = 4;
    private static readonly string[] Colors = ["#594ae2", "#1e88e5", "#00897b", "#f4511e"];

    /// <summary>UTF-8 SVG, or null when no column has a distribution to draw.</summary>
    public static byte[]? Svg(FileStatistics statistics, int width, int height)
    {
        var panels = statistics.Columns
            .Where(c => c.Type is ColumnType.Integer or ColumnType.Float or ColumnType.DateTime && c.Histogram is { Counts.Count: > 0 })
            .Select(c => (c.Name, Counts: c.Histogram!.Counts))
            .Take(MaxPanels)
            .ToList();
        if (panels.Count == 0)
        {
            panels = [.. statistics.Columns
                .Where(c => c.TopValues is { Count: > 0 })
                .Select(c => (c.Name, Counts: (IReadOnlyList<long>)[.. c.TopValues!.Select(v => v.Count)]))
                .Take(MaxPanels)];
        }

        if (panels.Count == 0)
        {
            return null;
        }

        var columns = panels.Count == 1 ? 1 : 2;
        var rows = (panels.Count + columns - 1) / columns;
        var panelWidth = (double)width / columns;
        var panelHeight = (double)height / rows;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\"><rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        for (var i = 0; i < panels.Count; i++)
        {
            Panel(svg, panels[i].Name, panels[i].Counts, Colors[i % Colors.Length],
                i % columns * panelWidth, i / columns * panelHeight, panelWidth, panelHeight);
        }

        svg.Append("</svg>");
        return Encoding.UTF8.GetBytes(svg.ToString());
    }

    private static void Panel(StringBuilder svg, string name, IReadOnlyList<long> counts, string color, double x, double y, double width, double height)
    {
        var margin = Math.Max(1, width * 0.05);
        var fontSize = Math.Max(6, Math.Round(height * 0.11));
        var label = name.Length > 18 ? string.Concat(name.AsSpan(0, 17), "…") : name;
        // Below ~12 px letters are a grey smudge; the bars alone say enough.
        var top = fontSize >= 9 ? fontSize + (margin * 1.5) : margin;
        if (fontSize >= 9)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x + margin:F1}\" y=\"{y + margin + fontSize * 0.85:F1}\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"{fontSize:F0}\" fill=\"#424242\">{SecurityElement.Escape(label)}</text>");
        }

        var bottom = y + height - margin;
        var barsLeft = x + margin;
        var barsWidth = width - (2 * margin);
        var barsHeight = bottom - (y + top);
        var max = Math.Max(1, counts.Max());
        var step = barsWidth / counts.Count;
        var gap = step > 4 ? step * 0.12 : 0;
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{barsLeft:F1}\" y1=\"{bottom:F1}\" x2=\"{barsLeft + barsWidth:F1}\" y2=\"{bottom:F1}\" stroke=\"#bdbdbd\" stroke-width=\"1\"/>");
        for (var i = 0; i < counts.Count; i++)
        {
            var barHeight = counts[i] <= 0 ? 0 : Math.Max(1, barsHeight * counts[i] / max);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{barsLeft + (i * step) + (gap / 2):F2}\" y=\"{bottom - barHeight:F2}\" width=\"{step - gap:F2}\" height=\"{barHeight:F2}\" fill=\"{color}\"/>");
        }
    }
}
