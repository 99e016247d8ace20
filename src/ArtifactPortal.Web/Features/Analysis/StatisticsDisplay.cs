using System.Globalization;
using ArtifactPortal.Core.Statistics;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Analysis;

/// <summary>How statistics read on the pages: type icons and compact numbers.</summary>
public static class StatisticsDisplay
{
    public static string Icon(ColumnType type) => type switch
    {
        ColumnType.Integer => Icons.Material.Outlined.Numbers,
        ColumnType.Float => Icons.Material.Outlined.Functions,
        ColumnType.Boolean => Icons.Material.Outlined.ToggleOn,
        ColumnType.DateTime => Icons.Material.Outlined.Event,
        _ => Icons.Material.Outlined.TextFields,
    };

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.DateTime => "date-time",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Numbers as people read them (1.2k, 3.14); date-times (stored as Unix seconds) as dates.</summary>
    public static string Value(double? value, ColumnType type)
    {
        if (value is not { } v || double.IsNaN(v))
        {
            return "–";
        }

        if (type == ColumnType.DateTime)
        {
            var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(v * 1000));
            return time.TimeOfDay == TimeSpan.Zero ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }

        return Number(v);
    }

    public static string Number(double v)
    {
        var abs = Math.Abs(v);
        return abs switch
        {
            0 => "0",
            >= 1e9 => (v / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B",
            >= 1e6 => (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
            >= 1e4 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
            >= 100 => v.ToString("0.#", CultureInfo.InvariantCulture),
            >= 0.01 => v.ToString("0.###", CultureInfo.InvariantCulture),
            _ => v.ToString("0.##E+0", CultureInfo.InvariantCulture),
        };
    }

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => fraction switch
    {
        0 => "0%",
        < 0.001 => "<0.1%",
        _ => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
    };

    public static string WithSign(double v, string format = "0.##") =>
        (v > 0 ? "+" : "") + v.ToString(format, CultureInfo.InvariantCulture);
}
