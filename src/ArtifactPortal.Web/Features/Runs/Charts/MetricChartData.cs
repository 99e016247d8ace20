using System.Globalization;
using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Web.Features.Runs.Charts;

/// <summary>What the x axis of a metric chart measures.</summary>
public enum MetricXAxis
{
    Step,
    WallTime,
    RelativeTime,
}

/// <summary>
/// One metric series ready for Plotly: x values, the raw and smoothed y values with <c>null</c> (a gap) where the value is
/// NaN or ±Infinity, and the non-finite points as separate markers drawn at the last finite value.
/// </summary>
public sealed record MetricChartSeries(
    IList<object?> X, IList<object?> Raw, IList<object?> Smoothed, IList<object?> GapX, IList<object?> GapY, IList<string> GapText);

/// <summary>Pure helpers that turn downsampled metric points into chart series.</summary>
public static class MetricChartData
{
    /// <summary>
    /// Exponential moving average with TensorBoard's debiasing (so the first points are not pulled towards 0).
    /// Non-finite values stay <c>null</c> and do not touch the average; a weight of 0 answers the raw values.
    /// </summary>
    public static IReadOnlyList<double?> Ema(IReadOnlyList<double> values, double weight)
    {
        ArgumentNullException.ThrowIfNull(values);
        weight = Math.Clamp(weight, 0, 0.999);
        var result = new double?[values.Count];
        double last = 0;
        var finiteCount = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value))
            {
                result[i] = null;
                continue;
            }

            finiteCount++;
            last = (last * weight) + ((1 - weight) * value);
            var debias = 1 - Math.Pow(weight, finiteCount);
            result[i] = debias == 0 ? value : last / debias;
        }

        return result;
    }

    /// <summary>
    /// The whole steps inside a zoomed x range as Plotly reports it (two numbers, in either order, possibly fractional);
    /// null when the event carries no usable range.
    /// </summary>
    public static (long MinStep, long MaxStep)? StepRange(IReadOnlyList<object>? range)
    {
        if (range is not { Count: 2 } || Number(range[0]) is not { } a || Number(range[1]) is not { } b)
        {
            return null;
        }

        var (low, high) = (Math.Min(a, b), Math.Max(a, b));
        const double Limit = 9e18;
        return (long)Math.Ceiling(Math.Clamp(low, -Limit, Limit)) is var min && (long)Math.Floor(Math.Clamp(high, -Limit, Limit)) is var max && min <= max
            ? (min, max)
            : null;

        static double? Number(object? value) => value switch
        {
            double d when double.IsFinite(d) => d,
            long l => l,
            int i => i,
            decimal m => (double)m,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetDouble(),
            _ => null,
        };
    }

    /// <summary>The x value of one point: step, wall time (ISO date for Plotly) or seconds since <paramref name="startedAt"/>.</summary>
    public static object X(MetricSample point, MetricXAxis axis, DateTimeOffset startedAt) => axis switch
    {
        MetricXAxis.WallTime => DateTimeOffset.FromUnixTimeMilliseconds(point.TimestampMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        MetricXAxis.RelativeTime => (point.TimestampMs - startedAt.ToUnixTimeMilliseconds()) / 1000.0,
        _ => point.Step,
    };

    public static string AxisTitle(MetricXAxis axis) => axis switch
    {
        MetricXAxis.WallTime => "time (UTC)",
        MetricXAxis.RelativeTime => "seconds since start",
        _ => "step",
    };

    /// <summary>Builds the chart series of <paramref name="points"/> (in step order) smoothed with <paramref name="smoothing"/>.</summary>
    public static MetricChartSeries Build(IReadOnlyList<MetricSample> points, MetricXAxis axis, DateTimeOffset startedAt, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(points);
        var values = points.Select(p => p.Value).ToList();
        var smoothed = Ema(values, smoothing);
        var x = new List<object?>(points.Count);
        var raw = new List<object?>(points.Count);
        var gapX = new List<object?>();
        var gapY = new List<object?>();
        var gapText = new List<string>();
        double? lastFinite = null;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var px = X(point, axis, startedAt);
            x.Add(px);
            if (double.IsFinite(point.Value))
            {
                raw.Add(point.Value);
                lastFinite = point.Value;
            }
            else
            {
                raw.Add(null);
                gapX.Add(px);
                gapY.Add(lastFinite ?? 0);
                gapText.Add(Describe(point.Value));
            }
        }

        return new MetricChartSeries(x, raw, [.. smoothed.Select(v => (object?)v)], gapX, gapY, gapText);
    }

    /// <summary>NaN, +Inf or -Inf as the hover text of a gap marker.</summary>
    public static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A param value as a number for a plot axis, or <c>null</c> when it is not numeric.</summary>
    public static double? Number(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;
}
