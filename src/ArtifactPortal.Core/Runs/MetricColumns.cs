namespace ArtifactPortal.Core.Runs;

/// <summary>
/// A series as three parallel arrays ordered by step (ties in arrival order), read by many requests at once: a snapshot
/// never changes below its <see cref="Length"/>, so appending beyond it in place is invisible to its readers.
/// </summary>
public sealed class MetricColumns
{
    public static readonly MetricColumns Empty = new([], [], [], 0);

    public MetricColumns(long[] steps, long[] timestamps, double[] values, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, steps.Length);
        (Steps, Timestamps, Values, Length) = (steps, timestamps, values, length);
    }

    public long[] Steps { get; }

    public long[] Timestamps { get; }

    public double[] Values { get; }

    /// <summary>Points in this snapshot; also the arrival index of the next point to load.</summary>
    public int Length { get; }

    public MetricSample Sample(int index) => new(Steps[index], Timestamps[index], Values[index]);

    /// <summary>This series followed by <paramref name="later"/> (points that arrived afterwards, in arrival order).</summary>
    public MetricColumns Append(MetricColumns later)
    {
        if (later.Length == 0)
        {
            return this;
        }

        var order = StepOrder(later);
        var total = Length + later.Length;
        if (order is null && (Length == 0 || later.Steps[0] >= Steps[Length - 1]))
        {
            // The usual case: steps keep growing. Reuse the arrays while they have room.
            var (steps, timestamps, values) = Steps.Length >= total
                ? (Steps, Timestamps, Values)
                : (Grow(Steps, total), Grow(Timestamps, total), Grow(Values, total));
            Array.Copy(later.Steps, 0, steps, Length, later.Length);
            Array.Copy(later.Timestamps, 0, timestamps, Length, later.Length);
            Array.Copy(later.Values, 0, values, Length, later.Length);
            return new MetricColumns(steps, timestamps, values, total);
        }

        // Out-of-order steps: merge; on equal steps the earlier arrival (this series) goes first.
        var merged = new MetricColumns(new long[total], new long[total], new double[total], total);
        var (a, b) = (0, 0);
        for (var k = 0; k < total; k++)
        {
            var next = order is null ? b : (b < order.Length ? order[b] : -1);
            if (b >= later.Length || (a < Length && Steps[a] <= later.Steps[next]))
            {
                merged.Set(k, Steps[a], Timestamps[a], Values[a]);
                a++;
            }
            else
            {
                merged.Set(k, later.Steps[next], later.Timestamps[next], later.Values[next]);
                b++;
            }
        }

        return merged;
    }

    /// <summary>Points in arrival order, as the store reads them.</summary>
    public static MetricColumns FromArrivals(int capacity) => new(new long[capacity], new long[capacity], new double[capacity], capacity);

    public void Set(int index, long step, long timestampMs, double value)
    {
        Steps[index] = step;
        Timestamps[index] = timestampMs;
        Values[index] = value;
    }

    /// <summary>Null when the points are already in step order; otherwise their indexes sorted stably by step.</summary>
    private static int[]? StepOrder(MetricColumns points)
    {
        var sorted = true;
        for (var i = 1; i < points.Length && sorted; i++)
        {
            sorted = points.Steps[i] >= points.Steps[i - 1];
        }

        if (sorted)
        {
            return null;
        }

        var order = Enumerable.Range(0, points.Length).ToArray();
        Array.Sort(order, (x, y) => points.Steps[x] != points.Steps[y] ? points.Steps[x].CompareTo(points.Steps[y]) : x.CompareTo(y));
        return order;
    }

    private static T[] Grow<T>(T[] array, int needed)
    {
        var grown = new T[(int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(1024L, array.Length * 2L)))];
        Array.Copy(array, grown, array.Length);
        return grown;
    }
}
