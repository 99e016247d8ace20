using System.Text.Json;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>The first objects of a JSON Lines file as a table: nested objects become dotted columns, arrays stay JSON.</summary>
internal static class JsonLinesTableReader
{
    private const string Format = "JSON Lines";
    private const string ScalarColumn = "value";

    public static async Task<FilePreview> ReadAsync(string path, long size, Stream content, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var records = new List<Dictionary<string, string?>>();
        var rows = new List<IReadOnlyList<string?>>();
        var hasMore = false;
        try
        {
            using var reader = new StreamReader(content);
            var lineNumber = 0;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (records.Count == PreviewLimits.MaxRows)
                {
                    hasMore = true;
                    break;
                }

                var record = new Dictionary<string, string?>(StringComparer.Ordinal);
                try
                {
                    using var document = JsonDocument.Parse(line);
                    Flatten(document.RootElement, document.RootElement.ValueKind == JsonValueKind.Object ? "" : ScalarColumn, record);
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"line {lineNumber} is not JSON ({e.Message})", e);
                }

                foreach (var key in record.Keys.Where(k => !indexes.ContainsKey(k)))
                {
                    indexes[key] = columns.Count;
                    columns.Add(key);
                }

                records.Add(record);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return TableErrors.Partial(path, size, Format, columns, ToRows(columns, records, rows), e);
        }

        return records.Count == 0
            ? new UnavailablePreview(path, size, "This JSON Lines file is empty.")
            : new TablePreview(path, size, Format, columns, ToRows(columns, records, rows), hasMore);
    }

    private static List<IReadOnlyList<string?>> ToRows(List<string> columns, List<Dictionary<string, string?>> records, List<IReadOnlyList<string?>> rows)
    {
        rows.AddRange(records.Select(r => columns.Select(c => r.GetValueOrDefault(c)).ToArray()));
        return rows;
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string?> record)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : prefix + "." + property.Name, record);
                }

                break;
            case JsonValueKind.String:
                record[prefix] = PreviewLimits.Cell(element.GetString());
                break;
            case JsonValueKind.Null:
                record[prefix] = null;
                break;
            default:
                record[prefix] = PreviewLimits.Cell(element.GetRawText());
                break;
        }
    }
}
