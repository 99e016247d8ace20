using ArtifactPortal.Core.Artifacts;
using nietras.SeparatedValues;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>The header and first rows of a CSV or TSV file with Sep; a CSV's delimiter is detected from its header.</summary>
internal static class DelimitedTableReader
{
    public static FilePreview Read(string path, long size, Stream content, bool tabSeparated)
    {
        var format = tabSeparated ? "TSV" : "CSV";
        var options = new SepReaderOptions(tabSeparated ? Sep.New('\t') : null) { HasHeader = true, Unescape = true };
        var rows = new List<IReadOnlyList<string?>>();
        IReadOnlyList<string> columns = [];
        try
        {
            using var reader = options.From(content);
            columns = [.. reader.Header.ColNames];
            if (columns.Count == 0)
            {
                return new UnavailablePreview(path, size, $"This {format} file is empty.");
            }

            while (rows.Count < PreviewLimits.MaxRows && reader.MoveNext())
            {
                var row = reader.Current;
                if (row.ColCount != columns.Count)
                {
                    // Sep lets a short last line through; a file cut short (a truncated .csv.gz) ends in one.
                    throw new InvalidDataException($"row {rows.Count + 1} has {row.ColCount} column(s) where the header has {columns.Count}.");
                }

                var cells = new string?[columns.Count];
                for (var i = 0; i < cells.Length && i < row.ColCount; i++)
                {
                    cells[i] = PreviewLimits.Cell(row[i].ToString());
                }

                rows.Add(cells);
            }

            return new TablePreview(path, size, format, columns, rows, HasMoreRows: reader.MoveNext());
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            return TableErrors.Partial(path, size, format, columns, rows, e);
        }
    }
}
