using System.Globalization;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Tests.Statistics;

public sealed class ColumnAccumulatorTests
{
    [Theory]
    [InlineData("42", CellKind.Integer, 42)]
    [InlineData("-7", CellKind.Integer, -7)]
    [InlineData("3.25", CellKind.Float, 3.25)]
    [InlineData("-0.125", CellKind.Float, -0.125)]
    [InlineData("1e3", CellKind.Float, 1000)]
    [InlineData("12345678901234567890.5", CellKind.Float, 12345678901234567890.5)]
    [InlineData("TRUE", CellKind.Boolean, 1)]
    [InlineData("false", CellKind.Boolean, 0)]
    [InlineData("2024-02-29", CellKind.DateTime, 1709164800)]
    [InlineData("2024-02-29T12:30:15", CellKind.DateTime, 1709209815)]
    [InlineData("2024-02-29 12:30:15+02:00", CellKind.DateTime, 1709202615)]
    [InlineData("2023-02-29", CellKind.String, 0)]
    [InlineData("NaN", CellKind.String, 0)]
    [InlineData("Infinity", CellKind.String, 0)]
    [InlineData("12abc", CellKind.String, 0)]
    [InlineData("-", CellKind.String, 0)]
    [InlineData("", CellKind.Null, 0)]
    public void Parse_Cell_InfersKindAndValue(string text, CellKind kind, double value)
    {
        Assert.Equal(kind, CellParser.Parse(text, out var parsed));
        Assert.Equal(value, kind is CellKind.String or CellKind.Null ? 0 : parsed);
    }

    [Fact]
    public void Parse_DecimalFastPath_EqualsTheFrameworkParser()
    {
        var random = new Random(5);
        for (var i = 0; i < 100_000; i++)
        {
            var text = ((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 9))).ToString("F" + random.Next(0, 8), CultureInfo.InvariantCulture);
            CellParser.Parse(text, out var parsed);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), parsed);
        }
    }

    [Fact]
    public void ToStatistics_NumericColumn_MatchesIndependentComputation()
    {
        var random = new Random(9);
        var cells = Enumerable.Range(0, 50_000)
            .Select(i => i % 17 == 0 ? "" : Math.Round((random.NextDouble() * 1000) - 300, 3).ToString(CultureInfo.InvariantCulture))
            .ToList();
        var column = new ColumnAccumulator("x");
        foreach (var cell in cells)
        {
            column.AddText(cell);
        }

        var statistics = column.ToStatistics();

        var values = cells.Where(c => c.Length > 0).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        Assert.Equal(ColumnType.Float, statistics.Type);
        Assert.Equal(values.Count, statistics.Count);
        Assert.Equal(cells.Count(c => c.Length == 0), statistics.Nulls);
        Assert.Equal(values.Min(), statistics.Min);
        Assert.Equal(values.Max(), statistics.Max);
        AssertClose(mean, statistics.Mean!.Value);
        AssertClose(std, statistics.StandardDeviation!.Value);
        Assert.Equal(values.Count(v => v < 0), statistics.Negatives);
        Assert.Equal(values.Count(v => v == 0), statistics.Zeros);
        // More distinct values than the exact limit: the estimate is within 2%.
        var distinct = values.Distinct().Count();
        Assert.InRange(statistics.Distinct, distinct * 0.98, distinct * 1.02);
        Assert.True(statistics.DistinctIsEstimate);
        // Fewer values than the sample holds: the quantiles are exact (linear interpolation, NumPy's default).
        var sorted = values.Order().ToList();
        var position = 0.95 * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        AssertClose(sorted[lower] + ((position - lower) * (sorted[lower + 1] - sorted[lower])), statistics.Quantiles!.P95);
        Assert.Equal(values.Count, statistics.Histogram!.Counts.Sum());
        Assert.Equal(HistogramBins.TargetBins, statistics.Histogram.Counts.Count);
        Assert.Equal(values.Min(), statistics.Histogram.Edges[0]);
        Assert.Equal(values.Max(), statistics.Histogram.Edges[^1]);
    }

    [Fact]
    public void ToStatistics_SmallIntegerRange_HasOneBinPerValue()
    {
        var column = new ColumnAccumulator("dice");
        foreach (var value in new[] { 1, 2, 2, 3, 3, 3, 6 })
        {
            column.AddText(value.ToString(CultureInfo.InvariantCulture));
        }

        var histogram = column.ToStatistics().Histogram!;

        Assert.Equal([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5], histogram.Edges);
        Assert.Equal([1L, 2, 3, 0, 0, 1], histogram.Counts);
    }

    [Fact]
    public void ToStatistics_StringColumn_HasTopValuesLengthsAndOtherCount()
    {
        var column = new ColumnAccumulator("fruit");
        foreach (var value in Enumerable.Repeat("apple", 5).Concat(Enumerable.Repeat("kiwi", 3))
            .Concat(Enumerable.Range(0, 30).Select(i => $"rare{i}")).Append(""))
        {
            column.AddText(value);
        }

        var statistics = column.ToStatistics();

        Assert.Equal(ColumnType.String, statistics.Type);
        Assert.Equal(38, statistics.Count);
        Assert.Equal(1, statistics.Nulls);
        Assert.Equal(32, statistics.Distinct);
        Assert.Equal(20, statistics.TopValues!.Count);
        Assert.Equal(new ValueCount("apple", 5), statistics.TopValues[0]);
        Assert.Equal(new ValueCount("kiwi", 3), statistics.TopValues[1]);
        Assert.Equal(38 - 5 - 3 - 18, statistics.OtherCount);
        Assert.Equal(new LengthStatistics(4, ((5 * 5) + (3 * 4) + (10 * 5) + (20 * 6)) / 38.0, 6), statistics.Lengths);
        Assert.Null(statistics.Mean);
    }

    [Fact]
    public void ToStatistics_BooleanAndDateColumns_AreTyped()
    {
        var flags = new ColumnAccumulator("flag");
        var dates = new ColumnAccumulator("day");
        foreach (var (text, day) in new[] { ("true", "2024-01-01"), ("false", "2024-01-03"), ("true", "2024-01-02") })
        {
            flags.AddText(text);
            dates.AddText(day);
        }

        var flag = flags.ToStatistics();
        var date = dates.ToStatistics();

        Assert.Equal(ColumnType.Boolean, flag.Type);
        Assert.Equal(2.0 / 3, flag.Mean!.Value, 12);
        Assert.Equal([new ValueCount("true", 2), new ValueCount("false", 1)], flag.TopValues);
        Assert.Equal(ColumnType.DateTime, date.Type);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), date.Min);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), date.Quantiles!.P50);
    }

    [Fact]
    public void Warnings_NameEachProblem()
    {
        var table = new TableAccumulator(["mixed", "constant", "sparse", "id", "nan"]);
        for (var i = 0; i < 2000; i++)
        {
            var cells = new[]
            {
                i % 10 == 0 ? "oops" : i.ToString(CultureInfo.InvariantCulture),
                "same",
                i % 3 == 0 ? "x" : "",
                $"user-{i}",
                i % 100 == 0 ? "NaN" : "1.5",
            };
            foreach (var (cell, column) in cells.Zip(table.Columns))
            {
                column.AddText(cell);
            }

            table.Rows.Add(StatisticsHash.Text(string.Join(',', cells)));
        }

        var statistics = table.Build("csv", 1, null);

        var codes = statistics.Warnings.Select(w => (w.Code, w.Column)).ToHashSet();
        Assert.Contains(("mixed-types", "mixed"), codes);
        Assert.Contains(("constant-column", "constant"), codes);
        Assert.Contains(("mostly-null", "sparse"), codes);
        Assert.Contains(("id-like", "id"), codes);
        Assert.Contains(("suspicious-values", "nan"), codes);
        Assert.DoesNotContain(statistics.Warnings, w => w.Code == "duplicate-rows");
        Assert.Equal(ColumnType.Integer, statistics.Columns[0].Type);
        Assert.Equal(ColumnType.Float, statistics.Columns[4].Type);
        Assert.Contains("\"oops\"", statistics.Warnings.First(w => w.Code == "mixed-types").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_RoundTripsThroughTheSharedJsonShape()
    {
        var column = new ColumnAccumulator("n");
        column.AddText("1");
        column.AddText("2");
        var statistics = new TableAccumulator([]).Build("csv", 10, new CsvDialect(',', true, '"', "utf-8", false)) with
        {
            Columns = [column.ToStatistics()],
        };

        var json = FileStatisticsJson.Serialize(statistics);

        Assert.Contains("\"type\":\"integer\"", json, StringComparison.Ordinal);
        Assert.Equal(statistics.Columns[0].Mean, FileStatisticsJson.Deserialize(json)!.Columns[0].Mean);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
