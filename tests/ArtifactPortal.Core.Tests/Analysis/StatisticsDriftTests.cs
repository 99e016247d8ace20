using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Tests.Analysis;

public sealed class StatisticsDriftTests
{
    private static readonly double[] Edges = [0, 1, 2, 3, 4];

    [Fact]
    public void FromHistograms_SameDistribution_IsZero()
    {
        var psi = StatisticsDrift.FromHistograms(new Histogram(Edges, [10, 20, 30, 40]), new Histogram(Edges, [20, 40, 60, 80]));

        Assert.Equal(0, psi!.Value, 1e-12);
    }

    [Fact]
    public void FromHistograms_SameEdges_MatchesTheTextbookFormula()
    {
        long[] before = [25, 25, 25, 25];
        long[] after = [10, 20, 30, 40];
        var expected = before.Zip(after).Sum(p => (p.Second / 100.0 - p.First / 100.0) * Math.Log(p.Second / 100.0 / (p.First / 100.0)));

        var psi = StatisticsDrift.FromHistograms(new Histogram(Edges, before), new Histogram(Edges, after));

        Assert.Equal(expected, psi!.Value, 1e-12);
    }

    [Fact]
    public void FromHistograms_ShiftedOutOfRange_IsSignificant()
    {
        var psi = StatisticsDrift.FromHistograms(new Histogram(Edges, [25, 25, 25, 25]), new Histogram([10, 11, 12, 13, 14], [25, 25, 25, 25]));

        Assert.Equal(DriftLevel.Significant, StatisticsDrift.Level(psi));
    }

    [Fact]
    public void FromHistograms_DifferentBins_RebinsTheCurrentHistogramEvenlyWithinBins()
    {
        // Two bins of width 2 holding 50 each spread to four bins of 25 each: the same distribution.
        var psi = StatisticsDrift.FromHistograms(new Histogram(Edges, [25, 25, 25, 25]), new Histogram([0, 2, 4], [50, 50]));

        Assert.Equal(0, psi!.Value, 1e-9);
    }

    [Fact]
    public void FromTopValues_NewCategoryTakesOver_IsSignificant()
    {
        var psi = StatisticsDrift.FromTopValues(
            [new ValueCount("red", 50), new ValueCount("blue", 50)], 0,
            [new ValueCount("green", 80), new ValueCount("red", 10), new ValueCount("blue", 10)], 0);

        Assert.Equal(DriftLevel.Significant, StatisticsDrift.Level(psi));
    }

    [Fact]
    public void FromTopValues_SameShares_IsZero()
    {
        var psi = StatisticsDrift.FromTopValues([new ValueCount("a", 3), new ValueCount("b", 1)], 4, [new ValueCount("a", 30), new ValueCount("b", 10)], 40);

        Assert.Equal(0, psi!.Value, 1e-12);
    }

    [Theory]
    [InlineData(null, DriftLevel.Unknown)]
    [InlineData(0.05, DriftLevel.None)]
    [InlineData(0.15, DriftLevel.Moderate)]
    [InlineData(0.25, DriftLevel.Significant)]
    public void Level_ReadsPsiTheUsualWay(double? psi, DriftLevel level) => Assert.Equal(level, StatisticsDrift.Level(psi));

    [Fact]
    public void Compare_Columns_ReportsNullChangeMeanShiftAndSchemaChanges()
    {
        var before = File(100, Column("x", nulls: 10, mean: 5, sd: 2), Column("gone", 0, 1, 1));
        var after = File(150, Column("x", nulls: 30, mean: 9, sd: 2), Column("new", 0, 1, 1));

        var drift = StatisticsDrift.Compare("a.csv", before, "b.csv", after);

        Assert.Equal(50, drift.RowChange);
        Assert.Equal(0.5, drift.RowChangeFraction);
        var x = Assert.Single(drift.Columns);
        Assert.Equal(10, x.BaselineNullPercent, 1e-9);
        Assert.Equal(30, x.NullPercent, 1e-9);
        Assert.Equal(20, x.NullPercentChange, 1e-9);
        Assert.Equal(4, x.MeanShift);
        Assert.Equal(2, x.MeanShiftInStandardDeviations);
        Assert.Equal(["new"], drift.AddedColumns);
        Assert.Equal(["gone"], drift.RemovedColumns);
    }

    private static FileStatistics File(long rows, params ColumnStatistics[] columns) => new()
    {
        Format = "csv",
        SizeBytes = 1,
        RowCount = rows,
        DuplicateRowEstimate = 0,
        Columns = columns,
        Warnings = [],
    };

    private static ColumnStatistics Column(string name, long nulls, double mean, double sd) => new()
    {
        Name = name,
        Type = ColumnType.Float,
        Count = 100 - nulls,
        Nulls = nulls,
        Distinct = 10,
        DistinctIsEstimate = false,
        Mean = mean,
        StandardDeviation = sd,
    };
}
