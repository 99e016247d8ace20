using System.Globalization;
using System.Text.Json;
using ArtifactPortal.Core.Evaluations;
using nietras.SeparatedValues;

namespace ArtifactPortal.Infrastructure.Evaluations;

/// <summary>
/// JSON: numbers anywhere in nested objects, keyed by their dotted path (<c>per_class.cat.f1</c>); arrays, text and booleans
/// are skipped with a note. CSV (Sep): a <c>metric,value</c> table, a one-row wide table, or rows per label
/// (<c>class,precision,recall,f1</c> gives <c>cat.precision</c>).
/// </summary>
public sealed class EvaluationMetricsReader : IEvaluationMetricsReader
{
    public const int MaxMetrics = 5000;
    public const int MaxKeyLength = 200;

    private static readonly string[] KeyHeaders = ["metric", "name", "key"];
    private static readonly string[] ValueHeaders = ["value", "score"];

    public bool CanRead(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    public async Task<ParsedMetricsFile> ReadAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        // Files are small (the service refuses big ones): buffer so the parsers never block on a remote stream.
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        var metrics = new Metrics();
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            ReadJson(buffer, metrics);
        }
        else
        {
            ReadCsv(buffer, metrics);
        }

        if (metrics.Values.Count == 0 && metrics.Notes.Count == 0)
        {
            metrics.Notes.Add("The file holds no numeric metrics.");
        }

        return new ParsedMetricsFile(metrics.Values, metrics.Build());
    }

    private static void ReadJson(Stream content, Metrics metrics)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new EvaluationFormatException($"This is not valid JSON{where}: {FirstSentence(e.Message)}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationFormatException(
                    $"Expected a JSON object of metrics such as {{\"accuracy\": 0.93}}; the file holds a JSON {Describe(document.RootElement.ValueKind)}.");
            }

            Flatten(document.RootElement, "", metrics);
        }
    }

    private static void Flatten(JsonElement element, string prefix, Metrics metrics)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(property.Value, key, metrics);
                    break;
                case JsonValueKind.Number:
                    metrics.Add(key, property.Value.GetDouble());
                    break;
                case JsonValueKind.Array:
                    metrics.Arrays.Add(key);
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    metrics.Text.Add(key);
                    break;
            }
        }
    }

    private static void ReadCsv(Stream content, Metrics metrics)
    {
        try
        {
            using var reader = new SepReaderOptions(null) { HasHeader = true, Unescape = true, DisableColCountCheck = true }.From(content);
            var header = reader.Header.ColNames.Select(n => n.Trim()).ToList();
            if (header.Count == 0)
            {
                throw new EvaluationFormatException("The CSV file is empty.");
            }

            var rows = new List<string[]>();
            while (reader.MoveNext())
            {
                var row = reader.Current;
                if (row.ColCount != header.Count)
                {
                    throw new EvaluationFormatException($"Row {rows.Count + 2} has {row.ColCount} field(s) where the header has {header.Count}.");
                }

                if (rows.Count >= MaxMetrics)
                {
                    metrics.Notes.Add($"Only the first {MaxMetrics} rows were read.");
                    break;
                }

                var cells = new string[row.ColCount];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = row[i].ToString().Trim();
                }

                rows.Add(cells);
            }

            if (rows.Count == 0)
            {
                throw new EvaluationFormatException("The CSV file has a header but no rows.");
            }

            if (header.Count == 2 && KeyHeaders.Contains(header[0], StringComparer.OrdinalIgnoreCase)
                && ValueHeaders.Contains(header[1], StringComparer.OrdinalIgnoreCase))
            {
                // metric,value: one metric per row.
                foreach (var row in rows)
                {
                    metrics.AddText(row[0], row[1]);
                }
            }
            else if (rows.Count == 1)
            {
                // A wide table: one column per metric.
                for (var i = 0; i < header.Count; i++)
                {
                    metrics.AddText(header[i], rows[0][i]);
                }
            }
            else if (header.Count >= 2 && rows.All(r => !IsNumber(r[0])))
            {
                // One row per class (or split): the first column labels the row.
                foreach (var row in rows)
                {
                    for (var i = 1; i < header.Count; i++)
                    {
                        metrics.AddText($"{row[0]}.{header[i]}", row[i]);
                    }
                }
            }
            else
            {
                throw new EvaluationFormatException(
                    $"The CSV has {rows.Count} rows but no label column: expected metric,value rows, a single row of metrics, " +
                    "or a first column naming each row (e.g. class,precision,recall,f1).");
            }
        }
        catch (FormatException e)
        {
            throw new EvaluationFormatException($"This is not a readable CSV file: {FirstSentence(e.Message)}", e);
        }
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private sealed class Metrics
    {
        public List<KeyValuePair<string, double>> Values { get; } = [];
        public List<string> Notes { get; } = [];
        public List<string> Arrays { get; } = [];
        public List<string> Text { get; } = [];
        public List<string> NotFinite { get; } = [];
        public List<string> LongKeys { get; } = [];
        private bool _truncated;

        public void Add(string key, double value)
        {
            if (key.Length == 0 || key.Length > MaxKeyLength)
            {
                LongKeys.Add(key.Length == 0 ? "(empty)" : key[..40] + "…");
            }
            else if (!double.IsFinite(value))
            {
                NotFinite.Add(key);
            }
            else if (Values.Count >= MaxMetrics)
            {
                _truncated = true;
            }
            else
            {
                Values.Add(new(key, value));
            }
        }

        public void AddText(string key, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                Add(key, value);
            }
            else
            {
                Text.Add(key);
            }
        }

        public List<string> Build()
        {
            var notes = new List<string>(Notes);
            if (Arrays.Count > 0)
            {
                notes.Add($"Arrays are not shown: {EvaluationService.Summarize(Arrays)}.");
            }

            if (Text.Count > 0)
            {
                notes.Add($"Values that are not numbers are not shown: {EvaluationService.Summarize(Text)}.");
            }

            if (NotFinite.Count > 0)
            {
                notes.Add($"NaN and infinite values are not shown: {EvaluationService.Summarize(NotFinite)}.");
            }

            if (LongKeys.Count > 0)
            {
                notes.Add($"Keys that are empty or longer than {MaxKeyLength} characters were skipped: {EvaluationService.Summarize(LongKeys)}.");
            }

            if (_truncated)
            {
                notes.Add($"Only the first {MaxMetrics} metrics were read.");
            }

            return notes;
        }
    }
}
