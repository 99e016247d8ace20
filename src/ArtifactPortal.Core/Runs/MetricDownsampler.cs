namespace ArtifactPortal.Core.Runs;

/// <summary>
/// Min/max bucketing over a step-ordered series: the x range is cut into equal step buckets and each bucket keeps its
/// lowest and highest finite point (so every peak and dip, and the global minimum and maximum, survive), its first
/// non-finite point (drawn as a gap marker), and the range keeps its first and last point.
/// </summary>
public static class MetricDownsampler
{
    /// <summary>The points of <paramref name="series"/> with <paramref name="minStep"/> ≤ step ≤ <paramref name="maxStep"/>.</summary>
    public static (int Start, int End) Range(MetricColumns series, long? minStep, long? maxStep)
    {
        var start = minStep is { } lo ? LowerBound(series.Steps, series.Length, lo) : 0;
        var end = maxStep is { } hi ? (hi == long.MaxValue ? series.Length : LowerBound(series.Steps, series.Length, hi + 1)) : series.Length;
        return (start, Math.Max(start, end));
    }

    public static List<MetricSample> Downsample(MetricColumns series, int start, int end, int maxPoints)
    {
        var count = end - start;
        if (maxPoints <= 0 || count <= maxPoints)
        {
            var all = new List<MetricSample>(count);
            for (var i = start; i < end; i++)
            {
                all.Add(series.Sample(i));
            }

            return all;
        }

        var values = series.Values;
        var anyNonFinite = false;
        for (var i = start; i < end && !anyNonFinite; i++)
        {
            anyNonFinite = !double.IsFinite(values[i]);
        }

        // Two points per bucket (min and max), three when markers for NaN/Inf may join them.
        var buckets = Math.Max(1, (maxPoints - 2) / (anyNonFinite ? 3 : 2));
        var steps = series.Steps;
        var firstStep = steps[start];
        var span = (double)(steps[end - 1] - firstStep) + 1;
        var result = new List<MetricSample>(maxPoints + 2);
        var picked = new int[5];
        var i0 = start;
        while (i0 < end)
        {
            var bucket = Bucket(steps[i0], firstStep, span, buckets);
            int min = -1, max = -1, nonFinite = -1;
            var i = i0;
            for (; i < end && Bucket(steps[i], firstStep, span, buckets) == bucket; i++)
            {
                var value = values[i];
                if (!double.IsFinite(value))
                {
                    nonFinite = nonFinite < 0 ? i : nonFinite;
                }
                else
                {
                    // Strict comparisons keep the first occurrence of a tie.
                    min = min < 0 || value < values[min] ? i : min;
                    max = max < 0 || value > values[max] ? i : max;
                }
            }

            var n = 0;
            foreach (var candidate in (ReadOnlySpan<int>)[i0 == start ? start : -1, min, max, nonFinite, i == end ? end - 1 : -1])
            {
                if (candidate >= 0 && picked.AsSpan(0, n).IndexOf(candidate) < 0)
                {
                    picked[n++] = candidate;
                }
            }

            // Indexes are step order, so sorting them keeps the line going left to right.
            picked.AsSpan(0, n).Sort();
            for (var k = 0; k < n; k++)
            {
                result.Add(series.Sample(picked[k]));
            }

            i0 = i;
        }

        return result;
    }

    private static long Bucket(long step, long firstStep, double span, int buckets) =>
        Math.Min(buckets - 1, (long)((step - firstStep) / span * buckets));

    private static int LowerBound(long[] steps, int length, long step)
    {
        var (lo, hi) = (0, length);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (steps[mid] < step)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
