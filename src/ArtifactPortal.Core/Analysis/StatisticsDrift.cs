using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Analysis;

/// <summary>Compares the stored statistics of two versions: row counts, null rates, mean shift and population stability index.</summary>
public static class StatisticsDrift
{
    public const double ModerateThreshold = 0.1;
    public const double SignificantThreshold = 0.2;

    /// <summary>Bins with no mass would make PSI infinite; the usual fix is a small floor.</summary>
    private const double Floor = 1e-4;

    public static DriftLevel Level(double? psi) => psi switch
    {
        null => DriftLevel.Unknown,
        > SignificantThreshold => DriftLevel.Significant,
        > ModerateThreshold => DriftLevel.Moderate,
        _ => DriftLevel.None,
    };

    public static FileDrift Compare(string baselinePath, FileStatistics baseline, string path, FileStatistics current)
    {
        var before = baseline.Columns.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var columns = new List<ColumnDrift>();
        foreach (var column in current.Columns)
        {
            if (before.TryGetValue(column.Name, out var old))
            {
                columns.Add(Compare(old, column));
            }
        }

        var currentNames = current.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new FileDrift(
            path,
            baselinePath,
            baseline.RowCount,
            current.RowCount,
            columns,
            [.. current.Columns.Select(c => c.Name).Where(n => !before.ContainsKey(n))],
            [.. baseline.Columns.Select(c => c.Name).Where(n => !currentNames.Contains(n))]);
    }

    public static ColumnDrift Compare(ColumnStatistics baseline, ColumnStatistics current)
    {
        double? shift = baseline.Mean is { } m0 && current.Mean is { } m1 && baseline.StandardDeviation is { } sd and > 0
            ? (m1 - m0) / sd
            : null;
        return new ColumnDrift(
            current.Name,
            baseline.Type,
            current.Type,
            baseline.NullFraction * 100,
            current.NullFraction * 100,
            baseline.Mean,
            current.Mean,
            shift,
            PopulationStabilityIndex(baseline, current));
    }

    /// <summary>
    /// PSI = Σ (a − e) · ln(a / e) over bins, e the baseline share and a the current share. Numbers use the baseline's
    /// histogram edges (plus a bin below and above them), re-binning the current histogram assuming values spread evenly
    /// within a bin; strings and booleans use the union of both top-value lists plus "other".
    /// </summary>
    public static double? PopulationStabilityIndex(ColumnStatistics baseline, ColumnStatistics current)
    {
        if (baseline.Histogram is { Counts.Count: > 0 } h0 && current.Histogram is { Counts.Count: > 0 } h1)
        {
            return FromHistograms(h0, h1);
        }

        if (baseline.TopValues is { } top0 && current.TopValues is { } top1)
        {
            return FromTopValues(top0, baseline.OtherCount, top1, current.OtherCount);
        }

        return null;
    }

    public static double? FromHistograms(Histogram baseline, Histogram current)
    {
        var total0 = baseline.Counts.Sum();
        var total1 = current.Counts.Sum();
        if (total0 == 0 || total1 == 0)
        {
            return null;
        }

        var edges = baseline.Edges;
        var expected = new List<double> { 0 };
        expected.AddRange(baseline.Counts.Select(c => (double)c / total0));
        expected.Add(0);
        var actual = new List<double> { Cdf(current, edges[0]) };
        for (var i = 1; i < edges.Count; i++)
        {
            actual.Add(Cdf(current, edges[i]) - Cdf(current, edges[i - 1]));
        }

        actual.Add(1 - Cdf(current, edges[^1]));
        return Psi(expected, actual);
    }

    public static double? FromTopValues(IReadOnlyList<ValueCount> baseline, long baselineOther, IReadOnlyList<ValueCount> current, long currentOther)
    {
        var total0 = baseline.Sum(v => v.Count) + baselineOther;
        var total1 = current.Sum(v => v.Count) + currentOther;
        if (total0 == 0 || total1 == 0)
        {
            return null;
        }

        var counts0 = baseline.ToDictionary(v => v.Value, v => v.Count, StringComparer.Ordinal);
        var counts1 = current.ToDictionary(v => v.Value, v => v.Count, StringComparer.Ordinal);
        var keys = counts0.Keys.Union(counts1.Keys, StringComparer.Ordinal).ToList();
        // A value in only one top list may still occur in the other version's "other": share that mass evenly.
        var unknown0 = keys.Count(k => !counts0.ContainsKey(k));
        var unknown1 = keys.Count(k => !counts1.ContainsKey(k));
        double Share(Dictionary<string, long> counts, string key, long other, int unknown, long total) =>
            counts.TryGetValue(key, out var c) ? (double)c / total : (double)other / (unknown + 1) / total;

        var expected = keys.Select(k => Share(counts0, k, baselineOther, unknown0, total0)).ToList();
        var actual = keys.Select(k => Share(counts1, k, currentOther, unknown1, total1)).ToList();
        expected.Add((double)baselineOther / (unknown0 + 1) / total0);
        actual.Add((double)currentOther / (unknown1 + 1) / total1);
        return Psi(expected, actual);
    }

    private static double Psi(List<double> expected, List<double> actual)
    {
        var psi = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            var e = Math.Max(expected[i], Floor);
            var a = Math.Max(actual[i], Floor);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    /// <summary>The share of the histogram's values at or below <paramref name="x"/>, linear within a bin.</summary>
    private static double Cdf(Histogram histogram, double x)
    {
        var edges = histogram.Edges;
        var counts = histogram.Counts;
        var total = (double)counts.Sum();
        if (x < edges[0])
        {
            return 0;
        }

        if (x >= edges[^1])
        {
            return 1;
        }

        var below = 0.0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (x >= edges[i + 1])
            {
                below += counts[i];
                continue;
            }

            var width = edges[i + 1] - edges[i];
            below += width > 0 ? counts[i] * (x - edges[i]) / width : counts[i];
            break;
        }

        return below / total;
    }
}
