using System.Globalization;
using System.IO.Compression;
using System.Text;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Infrastructure.Statistics;
using Parquet.Serialization;

namespace ArtifactPortal.IntegrationTests.Statistics;

public sealed class FileStatisticsCalculatorTests : IDisposable
{
    private const string Csv = """
        id,price,label,active,day
        1,2.5,red,true,2024-01-01
        2,,blue,false,2024-01-02
        3,-1.25,red,true,2024-01-03
        3,-1.25,red,true,2024-01-03

        """;

    private readonly FileStatisticsCalculator _calculator = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("artifactportal-stats-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Calculate_Csv_GivesTypesValuesDialectAndDuplicates()
    {
        var progress = new List<double>();

        var statistics = await CalculateAsync("data.csv", Encoding.UTF8.GetBytes(Csv), new Progress<double>(progress.Add));

        Assert.Equal("csv", statistics.Format);
        Assert.Equal(4, statistics.RowCount);
        Assert.Equal(1, statistics.DuplicateRowEstimate);
        Assert.Equal(new CsvDialect(',', true, '"', "utf-8", false), statistics.Dialect);
        Assert.Equal(["id", "price", "label", "active", "day"], statistics.Columns.Select(c => c.Name));
        Assert.Equal([ColumnType.Integer, ColumnType.Float, ColumnType.String, ColumnType.Boolean, ColumnType.DateTime],
            statistics.Columns.Select(c => c.Type));
        var price = statistics.Columns[1];
        Assert.Equal((3, 1, -1.25, 2.5), (price.Count, price.Nulls, price.Min!.Value, price.Max!.Value));
        Assert.Equal((2.5 - 1.25 - 1.25) / 3, price.Mean!.Value, 12);
        Assert.Equal([new ValueCount("red", 3), new ValueCount("blue", 1)], statistics.Columns[2].TopValues);
        Assert.Equal(new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), statistics.Columns[4].Max);
        Assert.Contains(statistics.Warnings, w => w.Code == "duplicate-rows");
        await Task.Yield();
        Assert.Contains(1.0, progress);
    }

    [Fact]
    public async Task Calculate_TsvGzipWithoutHeader_DetectsAllThree()
    {
        var tsv = "1\t2.5\tx\n2\t3.5\ty\n"u8.ToArray();

        var statistics = await CalculateAsync("data.tsv.gz", Gzip(tsv));

        Assert.Equal("tsv", statistics.Format);
        Assert.Equal(new CsvDialect('\t', false, '"', "utf-8", true), statistics.Dialect);
        Assert.Equal(2, statistics.RowCount);
        Assert.Equal(["column1", "column2", "column3"], statistics.Columns.Select(c => c.Name));
        Assert.Equal(3.0, statistics.Columns[1].Mean);
    }

    [Fact]
    public async Task Calculate_SemicolonsAndLatin1_AreDetected()
    {
        var bytes = Encoding.Latin1.GetBytes("name;city\nJosé;Zürich\nAnna;Köln\n");

        var statistics = await CalculateAsync("people.csv", bytes);

        Assert.Equal(';', statistics.Dialect!.Delimiter);
        Assert.Equal("iso-8859-1", statistics.Dialect.Encoding);
        Assert.Contains(statistics.Columns[1].TopValues!, v => v.Value == "Zürich");
    }

    [Fact]
    public async Task Calculate_LargeCsv_TwoThreadsGiveTheSameExactStatisticsAsAnIndependentPass()
    {
        // Above the parallel threshold: rows are shared by two threads and merged.
        var random = new Random(1);
        var builder = new StringBuilder("n,word\n");
        var values = new List<double>();
        while (builder.Length < DelimitedStatisticsReader.ParallelFromBytes + (1024 * 1024))
        {
            var value = Math.Round((random.NextDouble() * 1e6) - 5e5, 2);
            values.Add(value);
            builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(",w").Append(random.Next(50)).Append('\n');
        }

        var statistics = await CalculateAsync("big.csv", Encoding.UTF8.GetBytes(builder.ToString()));

        var n = statistics.Columns[0];
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        Assert.Equal(values.Count, statistics.RowCount);
        Assert.Equal(values.Count, n.Count);
        Assert.Equal(values.Min(), n.Min);
        Assert.Equal(values.Max(), n.Max);
        Assert.True(Math.Abs(n.Mean!.Value - mean) <= 1e-9 * Math.Abs(mean));
        Assert.True(Math.Abs(n.StandardDeviation!.Value - std) <= 1e-9 * std);
        var sorted = values.Order().ToList();
        var rank = sorted.BinarySearch(n.Quantiles!.P25);
        Assert.InRange(Math.Abs(rank < 0 ? ~rank : rank), 0.24 * values.Count, 0.26 * values.Count);
        Assert.Equal(50, statistics.Columns[1].Distinct);
    }

    [Fact]
    public async Task Calculate_Parquet_ReadsTypedColumnsRowGroupByRowGroup()
    {
        var rows = Enumerable.Range(0, 1000).Select(i => new ParquetRow
        {
            Id = i,
            Score = i % 10 == 0 ? null : i / 4.0,
            Name = i % 2 == 0 ? "even" : "odd",
            When = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i),
        }).ToList();
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream, new Parquet.ParquetOptions { RowGroupSize = 300 });

        var statistics = await CalculateAsync("data.parquet", stream.ToArray());

        Assert.Equal("parquet", statistics.Format);
        Assert.Equal(1000, statistics.RowCount);
        Assert.Null(statistics.Dialect);
        var score = statistics.Columns.Single(c => c.Name == "Score");
        var scores = rows.Where(r => r.Score is not null).Select(r => r.Score!.Value).ToList();
        Assert.Equal((ColumnType.Float, 900L, 100L), (score.Type, score.Count, score.Nulls));
        Assert.Equal(scores.Average(), score.Mean!.Value, 9);
        Assert.Equal(ColumnType.Integer, statistics.Columns.Single(c => c.Name == "Id").Type);
        Assert.Equal(ColumnType.DateTime, statistics.Columns.Single(c => c.Name == "When").Type);
        Assert.Equal([new ValueCount("even", 500), new ValueCount("odd", 500)], statistics.Columns.Single(c => c.Name == "Name").TopValues);
    }

    [Fact]
    public async Task Calculate_ParquetText_CountsCharactersNullsValuesAndDuplicatesOfNonAsciiText()
    {
        // Accents, CJK, a surrogate pair, the empty string (a value, not null), null and a value longer than the decode buffer;
        // word k appears 10 (k + 1) times, and the whole table twice (the second copy is all duplicates).
        string?[] words = ["café", "日本語", "😀 ok", "", null, new string('x', 1000) + "é", "plain"];
        var once = words.SelectMany((w, k) => Enumerable.Repeat(w, 10 * (k + 1))).Select((w, i) => new ParquetRow { Id = i, Name = w }).ToList();
        var rows = once.Concat(once).ToList();
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream, new Parquet.ParquetOptions { RowGroupSize = 300 });

        var statistics = await CalculateAsync("text.parquet", stream.ToArray());

        var name = statistics.Columns.Single(c => c.Name == "Name");
        var values = rows.Select(r => r.Name).OfType<string>().ToList();
        Assert.Equal((ColumnType.String, (long)values.Count, 100L, 6L), (name.Type, name.Count, name.Nulls, name.Distinct));
        Assert.Equal(new LengthStatistics(0, values.Average(v => v.Length), 1001), name.Lengths);
        var expected = values.GroupBy(v => v).OrderByDescending(g => g.Count())
            .Select(g => new ValueCount(g.Key.Length > 200 ? g.Key[..200] + "…" : g.Key, g.Count()));
        Assert.Equal(expected, name.TopValues);
        Assert.Equal(once.Count, statistics.DuplicateRowEstimate);
    }

    [Fact]
    public async Task Read_ParquetRowGroupLargerThanWindow_GivesTheSameStatisticsAsOneWindow()
    {
        // Duplicates across window boundaries (row i repeats row i - 250) and nulls, in row groups of 700 rows.
        var rows = Enumerable.Range(0, 2000).Select(i => (i % 500) < 250 ? i : i - 250).Select(i => new ParquetRow
        {
            Id = i,
            Score = i % 7 == 0 ? null : i * 1.5,
            Name = i % 3 == 0 ? null : $"name-{i % 41}",
            When = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i),
        }).ToList();
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream, new Parquet.ParquetOptions { RowGroupSize = 700 });

        var whole = await ParquetStatisticsReader.ReadAsync(stream, stream.Length, CancellationToken.None);
        stream.Position = 0;
        var windowed = await ParquetStatisticsReader.ReadAsync(stream, stream.Length, windowRows: 300, CancellationToken.None);

        Assert.Equal(2000, windowed.RowCount);
        Assert.Equal(1000, windowed.DuplicateRowEstimate);
        Assert.Equal(rows.Count(r => r.Score is null), windowed.Columns.Single(c => c.Name == "Score").Nulls);
        Assert.Equal(FileStatisticsJson.Serialize(whole, indented: false), FileStatisticsJson.Serialize(windowed, indented: false));
    }

    [Fact]
    public async Task Calculate_ParquetNamedCsv_IsReadAsParquet()
    {
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(new[] { new ParquetRow { Id = 1, Name = "a" } }, stream);

        var statistics = await CalculateAsync("misnamed.csv", stream.ToArray());

        Assert.Equal("parquet", statistics.Format);
        Assert.Equal(1, statistics.RowCount);
    }

    [Fact]
    public async Task Calculate_JsonLines_FlattensObjectsAndFillsMissingKeys()
    {
        var jsonl = """
            {"id": 1, "user": {"name": "ann"}, "tags": ["a"], "ok": true}
            {"id": 2.5, "user": {"name": "bob"}, "when": "2024-05-01T10:00:00Z"}

            {"id": null, "user": {"name": "ann"}, "ok": false}
            """;

        var statistics = await CalculateAsync("events.jsonl", Encoding.UTF8.GetBytes(jsonl));

        Assert.Equal("jsonl", statistics.Format);
        Assert.Equal(3, statistics.RowCount);
        Assert.Equal(["id", "user.name", "tags", "ok", "when"], statistics.Columns.Select(c => c.Name));
        var id = statistics.Columns[0];
        Assert.Equal((ColumnType.Float, 2L, 1L, 1.75), (id.Type, id.Count, id.Nulls, id.Mean!.Value));
        Assert.Equal(2, statistics.Columns[2].Nulls);
        Assert.Equal((1L, 2L), (statistics.Columns[4].Count, statistics.Columns[4].Nulls));
        Assert.Equal(ColumnType.DateTime, statistics.Columns[4].Type);
    }

    [Fact]
    public async Task Calculate_EmptyFile_IsAValidTableWithNoRows()
    {
        var statistics = await CalculateAsync("empty.csv", []);

        Assert.Equal(0, statistics.RowCount);
        Assert.Empty(statistics.Columns);
        Assert.Contains(statistics.Warnings, w => w.Code == "no-rows");
    }

    [Fact]
    public async Task Calculate_HeaderOnlyCsv_HasColumnsAndNoRows()
    {
        var statistics = await CalculateAsync("header.csv", "a,b,c\n"u8.ToArray());

        Assert.Equal(0, statistics.RowCount);
        Assert.Equal(["a", "b", "c"], statistics.Columns.Select(c => c.Name));
        Assert.All(statistics.Columns, c => Assert.Equal(0, c.Count));
        Assert.Contains(statistics.Warnings, w => w.Code == "no-rows" && w.Message.Contains("header", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ragged")]
    [InlineData("utf8")]
    [InlineData("gzip")]
    [InlineData("parquet")]
    [InlineData("png")]
    [InlineData("json")]
    public async Task Calculate_BadInput_FailsWithAMessageNamingTheProblem(string kind)
    {
        var (name, bytes, expected) = kind switch
        {
            "ragged" => ("ragged.csv", "a,b,c,d\n1,2,3,4\n1,2,3,4,5\n"u8.ToArray(), "row 2 (line 3) has 5 field(s), the header has 4"),
            "utf8" => ("bad.csv", [.. Encoding.ASCII.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("x,y\n", 30_000))), 0xC3, 0x28, (byte)'\n'],
                "Invalid UTF-8 at byte 120004"),
            "gzip" => ("cut.csv.gz", Gzip(Encoding.UTF8.GetBytes(Csv + string.Concat(Enumerable.Repeat("4,1.5,green,true,2024-01-04\n", 5000))))[..^200],
                "gzip stream is truncated or corrupt"),
            "parquet" => ("broken.parquet", [.. "PAR1"u8, .. new byte[100], .. "XXXX"u8], "not a Parquet file: footer magic missing"),
            "png" => ("photo.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "looks like a PNG image"),
            _ => ("events.jsonl", "{\"a\": 1}\n{\"a\": \n"u8.ToArray(), "line 2 is not valid JSON"),
        };

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => CalculateAsync(name, bytes));

        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Calculate_SingleLineOf200MB_FailsEarlyWithBoundedMemory()
    {
        var path = Path.Combine(_folder.FullName, "one-line.csv");
        await using (var file = File.Create(path))
        {
            var chunk = Encoding.ASCII.GetBytes(new string('x', 1024 * 1024));
            await file.WriteAsync("a,b\n"u8.ToArray());
            for (var i = 0; i < 200; i++)
            {
                await file.WriteAsync(chunk);
            }
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        await using var stream = File.OpenRead(path);
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() =>
            _calculator.CalculateAsync(stream, "one-line.csv", stream.Length, null, CancellationToken.None));

        Assert.Contains($"a line longer than {StatisticsLimits.MaxLineBytes / (1024 * 1024)} MB", error.Message, StringComparison.OrdinalIgnoreCase);
        // The reader stopped after the limit instead of holding the 200 MB line (400 MB as text).
        Assert.True(stream.Position < 40L * 1024 * 1024, $"read {stream.Position} bytes");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 150L * 1024 * 1024);
    }

    [Fact]
    public async Task Calculate_Cancelled_StopsWithoutAResult()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _calculator.CalculateAsync(stream, "data.csv", stream.Length, null, cancellation.Token));
    }

    [Theory]
    [InlineData("a/b/data.csv", "", true)]
    [InlineData("x.tsv.gz", "", true)]
    [InlineData("x.parquet", "", true)]
    [InlineData("x.ndjson", "", true)]
    [InlineData("upload", "text/csv", true)]
    [InlineData("photo.png", "image/png", false)]
    public void CanCalculate_ByNameOrMediaType(string path, string mediaType, bool expected) =>
        Assert.Equal(expected, _calculator.CanCalculate(path, mediaType));

    private async Task<FileStatistics> CalculateAsync(string name, byte[] bytes, IProgress<double>? progress = null)
    {
        // A stream that cannot seek, like a blob download.
        using var stream = new NonSeekableStream(bytes);
        return await _calculator.CalculateAsync(stream, name, bytes.Length, progress, CancellationToken.None);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    public sealed class ParquetRow
    {
        public int Id { get; set; }

        public double? Score { get; set; }

        public string? Name { get; set; }

        public DateTime When { get; set; }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
