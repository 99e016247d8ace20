using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Features.Runs.Charts;

namespace ArtifactPortal.Web.Tests.Features.Runs.Charts;

public sealed class MetricChartDataTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void Ema_DebiasedAverage_StartsAtTheFirstValueAndFollowsTheRecurrence()
    {
        var smoothed = MetricChartData.Ema([10, 20, 30], 0.5);

        // Raw averages 5, 12.5, 21.25 divided by 1 - 0.5^n = 0.5, 0.75, 0.875.
        Assert.Equal(10, smoothed[0]!.Value, 9);
        Assert.Equal(12.5 / 0.75, smoothed[1]!.Value, 9);
        Assert.Equal(21.25 / 0.875, smoothed[2]!.Value, 9);
    }

    [Fact]
    public void Ema_WeightZero_IsTheRawSeries()
    {
        Assert.Equal([1.0, 5.0, 2.0], MetricChartData.Ema([1, 5, 2], 0).Select(v => v!.Value));
    }

    [Fact]
    public void Ema_NonFiniteValues_AreGapsAndDoNotPoisonTheAverage()
    {
        var smoothed = MetricChartData.Ema([1, double.NaN, double.PositiveInfinity, 1], 0.9);

        Assert.Null(smoothed[1]);
        Assert.Null(smoothed[2]);
        Assert.Equal(1, smoothed[3]!.Value, 9);
    }

    [Fact]
    public void Build_NonFinitePoints_LeaveGapsAndGetMarkersAtTheLastFiniteValue()
    {
        MetricSample[] points =
        [
            new(1, Start.ToUnixTimeMilliseconds() + 1000, 0.5),
            new(2, Start.ToUnixTimeMilliseconds() + 2000, double.NaN),
            new(3, Start.ToUnixTimeMilliseconds() + 3000, double.NegativeInfinity),
            new(4, Start.ToUnixTimeMilliseconds() + 4500, 0.25),
        ];

        var series = MetricChartData.Build(points, MetricXAxis.Step, Start, smoothing: 0);

        Assert.Equal([1L, 2L, 3L, 4L], series.X.Cast<long>());
        Assert.Equal([0.5, null, null, 0.25], series.Raw);
        Assert.Equal([2L, 3L], series.GapX.Cast<long>());
        Assert.Equal([0.5, 0.5], series.GapY.Cast<double>());
        Assert.Equal(["NaN", "-Inf"], series.GapText);
    }

    [Fact]
    public void Build_TimeAxes_UseSecondsSinceStartOrUtcDates()
    {
        MetricSample[] points = [new(7, Start.ToUnixTimeMilliseconds() + 4500, 1)];

        Assert.Equal(4.5, MetricChartData.Build(points, MetricXAxis.RelativeTime, Start, 0).X[0]);
        Assert.Equal("2023-11-14 22:13:24.500", MetricChartData.Build(points, MetricXAxis.WallTime, Start, 0).X[0]);
    }

    [Fact]
    public void Axis_NumericAndTextParams_AreNumbersOrCategoryIndexes()
    {
        RunMetrics[] runs =
        [
            new(1, "a", new Dictionary<string, string> { ["lr"] = "0.1", ["opt"] = "sgd" }, []),
            new(2, "b", new Dictionary<string, string> { ["lr"] = "1e-3", ["opt"] = "adam" }, []),
            new(3, "c", new Dictionary<string, string>(), []),
        ];

        var (lr, lrTicks, _) = CompareTraces.Axis(runs, "lr");
        var (opt, optTicks, optText) = CompareTraces.Axis(runs, "opt");

        Assert.Equal([0.1, 0.001, null], lr);
        Assert.Null(lrTicks);
        Assert.Equal([1, 0, null], opt);
        Assert.Equal([0, 1], optTicks!.Cast<int>());
        Assert.Equal(["adam", "sgd"], optText!.Cast<string>());
    }
}
