using System.Buffers;
using System.Text;
using System.Text.Json;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// JSON Lines, one object per line, read with <see cref="Utf8JsonReader"/> over a byte buffer (no string per line). Nested
/// objects become dotted columns, arrays are kept as their JSON text; a key first seen on a later line is null before it.
/// </summary>
internal static class JsonLinesStatisticsReader
{
    private const string ScalarColumn = "value";

    public static async Task<FileStatistics> ReadAsync(SniffedStream content, long sizeBytes, bool gzip, CancellationToken cancellationToken)
    {
        var state = new State();
        var buffer = new byte[1024 * 1024];
        var filled = 0;
        long lineStartOffset = 0;
        var lineNumber = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // The line guard in SniffedStream bounds this growth to MaxLineBytes.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled += read;
            var consumed = 0;
            while (buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n') is var newline and >= 0)
            {
                AddLine(state, buffer.AsSpan(consumed, newline), ++lineNumber, lineStartOffset);
                consumed += newline + 1;
                lineStartOffset += newline + 1;
            }

            if (read == 0)
            {
                if (consumed < filled)
                {
                    AddLine(state, buffer.AsSpan(consumed, filled - consumed), ++lineNumber, lineStartOffset);
                }

                break;
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }

        var statistics = state.Table.Build("jsonl", sizeBytes, gzip ? new CsvDialect('\n', false, '"', "utf-8", true) : null);
        return statistics.RowCount == 0
            ? statistics with { Warnings = [new StatisticsWarning("no-rows", null, "The file has no JSON records."), .. statistics.Warnings] }
            : statistics;
    }

    private static void AddLine(State state, ReadOnlySpan<byte> line, int lineNumber, long offset)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            var valid = 0;
            System.Text.Unicode.Utf8.ToUtf16(line, new char[line.Length], out valid, out _, replaceInvalidSequences: false);
            throw new InvalidDataException($"invalid UTF-8 at byte {offset + valid} (line {lineNumber}).");
        }

        state.Row++;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                return;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadObject(state, ref reader, line, "");
            }
            else
            {
                AddValue(state, ref reader, line, state.Column(ScalarColumn));
            }

            if (reader.Read())
            {
                throw new InvalidDataException($"line {lineNumber} has more than one JSON value.");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"line {lineNumber} is not valid JSON: {e.Message}", e);
        }

        state.EndRow(StatisticsHash.Bytes(line));
    }

    private static void ReadObject(State state, ref Utf8JsonReader reader, ReadOnlySpan<byte> line, string prefix)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = prefix + reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadObject(state, ref reader, line, name + ".");
            }
            else
            {
                AddValue(state, ref reader, line, state.Column(name));
            }
        }
    }

    private static void AddValue(State state, ref Utf8JsonReader reader, ReadOnlySpan<byte> line, int column)
    {
        if (!state.MarkSeen(column))
        {
            reader.Skip();
            return;
        }

        var accumulator = state.Table.Columns[column];
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                accumulator.AddNull();
                break;
            case JsonTokenType.True or JsonTokenType.False:
                accumulator.AddBoolean(reader.TokenType == JsonTokenType.True);
                break;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer))
                {
                    accumulator.AddNumber(integer, isInteger: true);
                }
                else
                {
                    accumulator.AddNumber(reader.GetDouble(), isInteger: false);
                }

                break;
            case JsonTokenType.String:
                var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                var chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 16));
                try
                {
                    var written = reader.CopyString(chars);
                    var text = chars.AsSpan(0, written);
                    if (CellParser.TryParseDateTime(text, out var seconds))
                    {
                        accumulator.AddDateTime(seconds);
                    }
                    else
                    {
                        accumulator.AddString(text);
                    }
                }
                finally
                {
                    ArrayPool<char>.Shared.Return(chars);
                }

                break;
            default:
                // An array: its JSON text is the value.
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                accumulator.AddString(Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]));
                break;
        }
    }

    private sealed class State
    {
        private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
        private readonly List<long> _lastRow = [];

        public TableAccumulator Table { get; } = new([]);

        public long Row { get; set; }

        public int Column(string name)
        {
            if (!_indexes.TryGetValue(name, out var index))
            {
                if (_indexes.Count >= StatisticsLimits.MaxColumns)
                {
                    throw new InvalidDataException($"the records have more than {StatisticsLimits.MaxColumns} different keys; this is not a table.");
                }

                index = _indexes.Count;
                _indexes[name] = index;
                Table.AddColumn(name, rowsBefore: Row - 1);
                _lastRow.Add(0);
            }

            return index;
        }

        /// <summary>False when the key already appeared in this record (the first value counts).</summary>
        public bool MarkSeen(int column)
        {
            if (_lastRow[column] == Row)
            {
                return false;
            }

            _lastRow[column] = Row;
            return true;
        }

        public void EndRow(ulong hash)
        {
            for (var i = 0; i < _lastRow.Count; i++)
            {
                if (_lastRow[i] != Row)
                {
                    Table.Columns[i].AddNull();
                }
            }

            Table.Rows.Add(hash);
        }
    }
}
