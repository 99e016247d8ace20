using System.CommandLine;
using System.Globalization;
using System.Text;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Infrastructure.Statistics;

namespace ArtifactPortal.Web.Cli;

/// <summary>`stats FILE [--json]`: the statistics engine on a local file, without the web host or a database.</summary>
internal static class StatsCommand
{
    private static readonly string[] Headings = ["column", "type", "count", "nulls", "distinct", "min", "mean", "max", "std", "p50", "top / lengths"];

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A CSV, TSV (optionally .gz), Parquet or JSON Lines file." };
        var json = new Option<bool>("--json") { Description = "Print the statistics as JSON, as the API returns them." };
        var command = new Command("stats", "Print the dataset statistics of a local file.") { file, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(file);
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"No such file: {path.FullName}").ConfigureAwait(false);
                return ExitCodes.BadArguments;
            }

            FileStatistics statistics;
            try
            {
                var stream = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                await using (stream.ConfigureAwait(false))
                {
                    statistics = await new FileStatisticsCalculator()
                        .CalculateAsync(stream, path.Name, stream.Length, null, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DatasetFormatException e)
            {
                await Console.Error.WriteLineAsync($"Cannot compute statistics of {path.Name}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            Console.Out.Write(parseResult.GetValue(json) ? FileStatisticsJson.Serialize(statistics, indented: true) + "\n" : Format(path.Name, statistics));
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Format(string name, FileStatistics statistics)
    {
        var output = new StringBuilder();
        var dialect = statistics.Dialect is { } d
            ? $", delimiter {(d.Delimiter == '\t' ? "tab" : $"'{d.Delimiter}'")}, {(d.HasHeader ? "header" : "no header")}, {d.Encoding}{(d.Gzip ? ", gzip" : "")}"
            : "";
        output.Append(CultureInfo.InvariantCulture,
            $"{name}: {statistics.Format}{dialect}, {statistics.SizeBytes:N0} bytes, {statistics.RowCount:N0} rows, {statistics.ColumnCount} columns, {statistics.DuplicateRowEstimate:N0} duplicate rows\n\n");
        var rows = new List<string[]> { Headings };
        foreach (var c in statistics.Columns)
        {
            var isDate = c.Type == ColumnType.DateTime;
            rows.Add([
                c.Name, c.Type.ToString().ToLowerInvariant(), N(c.Count), string.Create(CultureInfo.InvariantCulture, $"{c.NullFraction:P1}"),
                (c.DistinctIsEstimate ? "~" : "") + N(c.Distinct), V(c.Min, isDate), V(c.Mean, isDate), V(c.Max, isDate),
                isDate ? "" : V(c.StandardDeviation, false), V(c.Quantiles?.P50, isDate), Top(c),
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.AppendJoin("  ", row.Select((cell, i) => i is 0 or 1 or 10 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])));
            output.Length = output.ToString().TrimEnd().Length;
            output.Append('\n');
        }

        if (statistics.Warnings.Count > 0)
        {
            output.Append("\nWarnings:\n");
            foreach (var warning in statistics.Warnings)
            {
                output.Append(CultureInfo.InvariantCulture, $"  [{warning.Code}] {warning.Message}\n");
            }
        }

        return output.ToString();
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string V(double? value, bool isDate) => value switch
    {
        null => "",
        { } seconds when isDate => DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        { } number => number.ToString("G6", CultureInfo.InvariantCulture),
    };

    private static string Top(ColumnStatistics column)
    {
        if (column.TopValues is not { Count: > 0 } top)
        {
            return "";
        }

        var values = string.Join(", ", top.Take(3).Select(v => $"{Short(v.Value)} ({N(v.Count)})"));
        return column.Lengths is { } lengths
            ? string.Create(CultureInfo.InvariantCulture, $"{values}; length {lengths.Min}–{lengths.Max}")
            : values;
    }

    private static string Short(string value) => value.Length > 24 ? string.Concat(value.AsSpan(0, 24), "…") : value;
}
