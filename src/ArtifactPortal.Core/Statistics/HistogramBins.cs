namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// Equal-width bins over [min, max]. Min and max are known only at the end of the one pass, so the bins are filled from the
/// column's uniform sample (<see cref="QuantileSketch"/>) scaled to the column's count: each bin's share is then within the
/// sample's ±1% CDF error, with no second pass and no re-binning while the range grows.
/// </summary>
public static class HistogramBins
{
    public const int TargetBins = 30;

    public static Histogram Build(double min, double max, bool isInteger, QuantileSketch sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        double[] edges;
        if (min == max)
        {
            edges = [min, max];
        }
        else if (isInteger && max - min < TargetBins)
        {
            // One bin per integer, centred on it.
            edges = [.. Enumerable.Range(0, (int)(max - min) + 2).Select(i => min - 0.5 + i)];
        }
        else
        {
            var width = (max - min) / TargetBins;
            edges = [.. Enumerable.Range(0, TargetBins + 1).Select(i => i == TargetBins ? max : min + (i * width))];
        }

        return new Histogram(edges, min == max ? [sample.Count] : sample.Histogram(edges));
    }
}
