namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// Count, min, max, mean and variance in one pass with Welford's update, which does not lose precision the way
/// Σx² − (Σx)²/n does on large values; two partial results combine with Chan et al.'s formula. Values are shifted by the
/// first one, so that timestamps (~1.7e9) with a spread of seconds keep their digits.
/// </summary>
public sealed class RunningMoments
{
    private double _shift = double.NaN;
    private double _mean;
    private double _m2;

    public long Count { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public long Zeros { get; private set; }

    public long Negatives { get; private set; }

    public double Mean => Count == 0 ? double.NaN : _shift + _mean;

    /// <summary>The sample standard deviation (n − 1 in the denominator), as pandas and DuckDB report it.</summary>
    public double StandardDeviation => Count < 2 ? (Count == 1 ? 0 : double.NaN) : Math.Sqrt(_m2 / (Count - 1));

    public void Add(double value)
    {
        if (Count == 0)
        {
            _shift = value;
        }

        Count++;
        var shifted = value - _shift;
        var delta = shifted - _mean;
        _mean += delta / Count;
        _m2 += delta * (shifted - _mean);
        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }

        if (value == 0)
        {
            Zeros++;
        }
        else if (value < 0)
        {
            Negatives++;
        }
    }

    public void Merge(RunningMoments other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            _shift = other._shift;
        }

        var count = Count + other.Count;
        var delta = (other._shift - _shift) + other._mean - _mean;
        _m2 += other._m2 + (delta * delta * Count * other.Count / count);
        _mean += delta * other.Count / count;
        Count = count;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Zeros += other.Zeros;
        Negatives += other.Negatives;
    }
}
