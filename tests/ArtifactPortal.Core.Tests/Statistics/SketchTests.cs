using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Tests.Statistics;

public sealed class SketchTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(50_000)]
    [InlineData(1_000_000)]
    public void HyperLogLog_ManyDistinctValues_EstimatesWithinTwoPercent(int distinct)
    {
        var sketch = new HyperLogLog();
        for (var i = 0; i < distinct; i++)
        {
            // Each value twice: repeats must not count.
            sketch.Add(StatisticsHash.Text($"value-{i}"));
            sketch.Add(StatisticsHash.Text($"value-{i}"));
        }

        Assert.InRange(sketch.Estimate(), distinct * 0.98, distinct * 1.02);
    }

    [Fact]
    public void DistinctCounter_BelowTheLimit_IsExact_AboveIt_EstimatesWithinTwoPercent()
    {
        var counter = new DistinctCounter();
        for (var i = 0; i < DistinctCounter.ExactLimit; i++)
        {
            counter.Add(StatisticsHash.Number(i));
            counter.Add(StatisticsHash.Number(i));
        }

        Assert.False(counter.IsEstimate);
        Assert.Equal(DistinctCounter.ExactLimit, counter.Count);

        for (var i = DistinctCounter.ExactLimit; i < 1_000_000; i++)
        {
            counter.Add(StatisticsHash.Number(i));
        }

        Assert.True(counter.IsEstimate);
        Assert.InRange(counter.Count, 980_000, 1_020_000);
    }

    [Fact]
    public void DistinctCounter_Merge_CountsTheUnion()
    {
        var (left, right) = (new DistinctCounter(), new DistinctCounter());
        for (var i = 0; i < 300_000; i++)
        {
            left.Add(StatisticsHash.Number(i));
            right.Add(StatisticsHash.Number(i + 200_000));
        }

        left.Merge(right);

        Assert.InRange(left.Count, 500_000 * 0.98, 500_000 * 1.02);
    }

    [Fact]
    public void RunningMoments_MatchesATwoPassComputation_WithinOnePartInABillion()
    {
        var random = new Random(7);
        // Large offset, small spread: the case where Σx² − (Σx)²/n loses every digit.
        var values = Enumerable.Range(0, 200_000).Select(_ => 1e9 + (random.NextDouble() * 10)).ToArray();
        var moments = new RunningMoments();
        foreach (var value in values)
        {
            moments.Add(value);
        }

        // Two passes over the exact differences from the first value (x − x0 is exact for values this close).
        var deltas = values.Select(v => v - values[0]).ToArray();
        var deltaMean = deltas.Average();
        var variance = deltas.Sum(d => (d - deltaMean) * (d - deltaMean)) / (values.Length - 1);
        AssertClose(values[0] + deltaMean, moments.Mean);
        AssertClose(Math.Sqrt(variance), moments.StandardDeviation);
        Assert.Equal(values.Min(), moments.Min);
        Assert.Equal(values.Max(), moments.Max);
        Assert.Equal(values.Length, moments.Count);
    }

    [Fact]
    public void RunningMoments_Merge_EqualsOneStream()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 10_001).Select(_ => (random.NextDouble() * 200) - 100).ToArray();
        var (all, left, right) = (new RunningMoments(), new RunningMoments(), new RunningMoments());
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            all.Add(value);
            (i % 3 == 0 ? left : right).Add(value);
        }

        left.Merge(right);

        AssertClose(all.Mean, left.Mean);
        AssertClose(all.StandardDeviation, left.StandardDeviation);
        Assert.Equal(values.Count(v => v < 0), left.Negatives);
        Assert.Equal(all.Min, left.Min);
    }

    [Fact]
    public void QuantileSketch_OneMillionShuffledValues_QuantilesWithinOnePercentRank()
    {
        const int n = 1_000_000;
        var random = new Random(11);
        var values = Enumerable.Range(0, n).Select(i => (double)i).OrderBy(_ => random.Next()).ToArray();
        var sketch = new QuantileSketch();
        foreach (var value in values)
        {
            sketch.Add(value);
        }

        // Value i has rank i: the answer's rank error is its distance from q·n.
        foreach (var q in new[] { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 })
        {
            Assert.InRange(sketch.Quantile(q), (q - 0.01) * n, (q + 0.01) * n);
        }
    }

    [Fact]
    public void QuantileSketch_FewValues_IsExact()
    {
        var sketch = new QuantileSketch();
        foreach (var value in new double[] { 5, 1, 4, 2, 3 })
        {
            sketch.Add(value);
        }

        Assert.Equal(1, sketch.Quantile(0));
        Assert.Equal(3, sketch.Quantile(0.5));
        Assert.Equal(5, sketch.Quantile(1));
        Assert.Equal(4.5, sketch.Quantile(0.875));
    }

    [Fact]
    public void QuantileSketch_Histogram_CountsAddUpAndFollowTheDistribution()
    {
        var sketch = new QuantileSketch();
        // 75% of the values in [0, 1), 25% in [1, 2).
        for (var i = 0; i < 400_000; i++)
        {
            sketch.Add(i % 4 == 3 ? 1 + ((i % 1000) / 1000.0) : (i % 1000) / 1000.0);
        }

        var counts = sketch.Histogram([0, 1, 2]);

        Assert.Equal(400_000, counts.Sum());
        Assert.InRange(counts[0], 0.74 * 400_000, 0.76 * 400_000);
    }

    [Fact]
    public void QuantileSketch_MergeOfTwoHalves_StaysWithinOnePercentRank()
    {
        var (left, right) = (new QuantileSketch(1), new QuantileSketch(2));
        for (var i = 0; i < 300_000; i++)
        {
            left.Add(i);
            right.Add(300_000 + i);
        }

        var merged = left.MergeWith(right);

        Assert.Equal(600_000, merged.Count);
        Assert.InRange(merged.Quantile(0.25), 0.24 * 600_000, 0.26 * 600_000);
        Assert.InRange(merged.Quantile(0.9), 0.89 * 600_000, 0.91 * 600_000);
    }

    [Fact]
    public void HeavyHitters_FewValues_CountsExactly()
    {
        var top = new HeavyHitters();
        foreach (var (value, count) in new[] { ("a", 5), ("b", 3), ("c", 1) })
        {
            for (var i = 0; i < count; i++)
            {
                top.Add(StatisticsHash.Text(value), value);
            }
        }

        Assert.True(top.IsExact);
        Assert.Equal([new ValueCount("a", 5), new ValueCount("b", 3), new ValueCount("c", 1)], top.Top(20));
    }

    [Fact]
    public void HeavyHitters_FrequentValuesAmongOneMillionSingletons_AreFoundWithBoundedError()
    {
        var top = new HeavyHitters();
        const int n = 1_000_000;
        for (var i = 0; i < n; i++)
        {
            var value = i % 10 == 0 ? "frequent" : i % 25 == 1 ? "common" : $"unique-{i}";
            top.Add(StatisticsHash.Text(value), value);
        }

        var result = top.Top(2);
        Assert.False(top.IsExact);
        Assert.Equal(["frequent", "common"], result.Select(v => v.Value));
        // Misra–Gries undercounts by at most n / (capacity + 1).
        Assert.InRange(result[0].Count, (n / 10) - (n / (HeavyHitters.Capacity + 1)), n / 10);
    }

    [Fact]
    public void DuplicateRowEstimator_NoDuplicatesInOneMillionRows_IsExactlyZero()
    {
        var estimator = new DuplicateRowEstimator();
        for (var i = 0; i < 1_000_000; i++)
        {
            estimator.Add(StatisticsHash.Number(i));
        }

        Assert.True(estimator.IsEstimate);
        Assert.Equal(0, estimator.Duplicates);
    }

    [Fact]
    public void DuplicateRowEstimator_TenPercentDuplicates_EstimatesWithinTwoPercent()
    {
        var estimator = new DuplicateRowEstimator();
        for (var i = 0; i < 1_000_000; i++)
        {
            // Every tenth row repeats an earlier one.
            estimator.Add(StatisticsHash.Number(i % 10 == 9 ? i - 5 : i));
        }

        Assert.InRange(estimator.Duplicates, 100_000 * 0.98, 100_000 * 1.02);

        var small = new DuplicateRowEstimator();
        foreach (var value in new[] { 1, 2, 1, 3, 1 })
        {
            small.Add(StatisticsHash.Number(value));
        }

        Assert.False(small.IsEstimate);
        Assert.Equal(2, small.Duplicates);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
