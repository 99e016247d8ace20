using System.Globalization;
using System.Text;
using ArtifactPortal.Core.Statistics;
using nietras.SeparatedValues;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// CSV and TSV with Sep: the separator is detected by Sep from the first line (or tab for .tsv), the header by whether the
/// first row looks like names (no cell of it is a number, boolean or date), and each cell is parsed from its span.
/// </summary>
internal static class DelimitedStatisticsReader
{
    /// <param name="parallel">
    /// Whether two threads share the rows: Sep splits the text into rows on one, and each keeps its own accumulators, merged
    /// at the end. The merged sample behind quantiles and histograms then depends on how rows were shared, so small files
    /// (below <see cref="ParallelFromBytes"/>) stay on one thread and give the same result every time.
    /// </param>
    public static FileStatistics Read(TextReader text, char? separator, string encoding, bool gzip, long sizeBytes, bool parallel)
    {
        var options = new SepReaderOptions(separator is { } s ? Sep.New(s) : null)
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
        };
        using var reader = options.From(text);
        var format = reader.Spec.Sep.Separator == '\t' ? "tsv" : "csv";
        if (!reader.MoveNext())
        {
            // An empty file is a valid table with no rows and no columns.
            var empty = new TableAccumulator([]);
            return WithEmptyWarning(empty.Build(format, sizeBytes, new CsvDialect(reader.Spec.Sep.Separator, false, '"', encoding, gzip)),
                "The file is empty: it has no header and no rows.");
        }

        var first = reader.Current;
        var hasHeader = LooksLikeHeader(first);
        var cells = new string[first.ColCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = hasHeader ? first[i].ToString().Trim() : "";
        }

        var names = UniqueNames(cells);
        var table = new TableAccumulator(names);
        if (!hasHeader)
        {
            AddRow(first, table.Columns.ToArray(), table, hasHeader);
        }

        if (parallel)
        {
            AddRowsInParallel(reader, table, names, hasHeader);
        }
        else
        {
            var columns = table.Columns.ToArray();
            while (reader.MoveNext())
            {
                AddRow(reader.Current, columns, table, hasHeader);
            }
        }

        var dialect = new CsvDialect(reader.Spec.Sep.Separator, hasHeader, '"', encoding, gzip);
        var statistics = table.Build(format, sizeBytes, dialect);
        return statistics.RowCount == 0 ? WithEmptyWarning(statistics, "The file has a header but no rows.") : statistics;
    }

    public const long ParallelFromBytes = 32L * 1024 * 1024;

    private static void AddRowsInParallel(SepReader reader, TableAccumulator table, IReadOnlyList<string> names, bool hasHeader)
    {
        var locals = new System.Collections.Concurrent.ConcurrentQueue<(TableAccumulator Table, ColumnAccumulator[] Columns)>();
        using var local = new ThreadLocal<(TableAccumulator Table, ColumnAccumulator[] Columns)>(() =>
        {
            var accumulator = new TableAccumulator(names);
            var state = (accumulator, accumulator.Columns.ToArray());
            locals.Enqueue(state);
            return state;
        });
        try
        {
            foreach (var _ in reader.ParallelEnumerate(row =>
            {
                var (rowTable, rowColumns) = local.Value;
                AddRow(row, rowColumns, rowTable, hasHeader);
                return 0;
            }, degreeOfParallelism: 2))
            {
            }
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(i => i is InvalidDataException or DecoderFallbackException or NotSupportedException
            or OperationCanceledException) is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
        }

        foreach (var (partial, _) in locals)
        {
            table.Merge(partial);
        }
    }

    private static void AddRow(SepReader.Row row, ColumnAccumulator[] columns, TableAccumulator table, bool hasHeader)
    {
        if (row.ColCount != columns.Length)
        {
            if (row.ColCount == 1 && row.Span.IsEmpty)
            {
                return;
            }

            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"row {row.RowIndex + (hasHeader ? 0 : 1)} (line {row.LineNumberFrom}) has {row.ColCount} field(s), the {(hasHeader ? "header" : "first row")} has {columns.Length}."));
        }

        for (var i = 0; i < columns.Length; i++)
        {
            columns[i].AddText(row[i].Span);
        }

        table.Rows.Add(StatisticsHash.Text(row.Span));
    }

    private static bool LooksLikeHeader(SepReader.Row row)
    {
        for (var i = 0; i < row.ColCount; i++)
        {
            if (CellParser.Parse(row[i].Span, out _) is not CellKind.String and not CellKind.Null)
            {
                return false;
            }
        }

        return true;
    }

    private static List<string> UniqueNames(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var (name, index) in names.Select((n, i) => (n, i)))
        {
            var candidate = name.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"column{index + 1}") : name;
            for (var suffix = 2; !seen.Add(candidate); suffix++)
            {
                candidate = string.Create(CultureInfo.InvariantCulture, $"{name}_{suffix}");
            }

            result.Add(candidate);
        }

        return result;
    }

    private static FileStatistics WithEmptyWarning(FileStatistics statistics, string message) =>
        statistics with { Warnings = [new StatisticsWarning("no-rows", null, message), .. statistics.Warnings] };

    /// <summary>Strict decoders, so that a byte sequence that is not text in the detected encoding stops the pass with its offset.</summary>
    public static (Encoding Encoding, string Name) DetectEncoding(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true), "utf-8-bom");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true), "utf-16le");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true), "utf-16be");
        }

        var chars = new char[head.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(head, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: complete);
        // Text that is not UTF-8 from its first bytes on is most likely Latin-1 (Windows-1252 without its C1 extras).
        return status == System.Buffers.OperationStatus.InvalidData
            ? (Encoding.Latin1, "iso-8859-1")
            : (new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), "utf-8");
    }
}
