using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Core.Tests.Runs;

public sealed class MetricDownsamplerTests
{
    [Fact]
    public void Downsample_MillionPoints_KeepsGlobalMinMaxFirstLastAndNaNWithinTheLimit()
    {
        var series = Series(1_000_000, i => i switch { 123_457 => -1e6, 876_543 => 1e6, 500_000 => double.NaN, _ => Math.Sin(i / 1000.0) });

        var points = MetricDownsampler.Downsample(series, 0, series.Length, 1500);

        Assert.InRange(points.Count, 700, 1500);
        Assert.Contains(points, p => p.Step == 123_457 && p.Value == -1e6);
        Assert.Contains(points, p => p.Step == 876_543 && p.Value == 1e6);
        Assert.Contains(points, p => p.Step == 500_000 && double.IsNaN(p.Value));
        Assert.Equal((0L, 999_999L), (points[0].Step, points[^1].Step));
        Assert.Equal(points.Select(p => p.Step).Order(), points.Select(p => p.Step));
    }

    [Fact]
    public void Range_StepBounds_AreInclusiveAndFewPointsComeBackUntouched()
    {
        var series = Series(10_000, i => i);

        var (start, end) = MetricDownsampler.Range(series, 2_000, 2_999);
        var points = MetricDownsampler.Downsample(series, start, end, 1500);

        Assert.Equal(Enumerable.Range(2_000, 1_000).Select(i => (long)i), points.Select(p => p.Step));
    }

    [Fact]
    public void Append_OutOfOrderSteps_MergesInStepOrderKeepingArrivalOrderOnTies()
    {
        var first = Series(3, i => i);
        var later = MetricColumns.FromArrivals(3);
        later.Set(0, 1, 0, 10);
        later.Set(1, 5, 0, 11);
        later.Set(2, 0, 0, 12);

        var merged = first.Append(later);

        Assert.Equal([0L, 0, 1, 1, 2, 5], merged.Steps.Take(merged.Length));
        Assert.Equal([0.0, 12, 1, 10, 2, 11], merged.Values.Take(merged.Length));
    }

    private static MetricColumns Series(int count, Func<int, double> value)
    {
        var series = MetricColumns.FromArrivals(count);
        for (var i = 0; i < count; i++)
        {
            series.Set(i, i, 1_764_260_000_000 + i, value(i));
        }

        return series;
    }
}
