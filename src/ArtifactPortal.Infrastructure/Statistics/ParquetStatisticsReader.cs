using System.Numerics;
using ArtifactPortal.Core.Statistics;
using ParquetSharp;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// Parquet with ParquetSharp (Apache Arrow's C++ reader), the columns of a row group read one after the other in batches of
/// <see cref="BatchRows"/> rows: memory holds one batch, one page of one column and the row hashes of up to
/// <see cref="WindowRows"/> rows, whatever the row count (ADR 014).
/// Types come from the schema; repeated (list) columns are left out with a warning.
/// </summary>
internal static class ParquetStatisticsReader
{
    /// <summary>Rows decoded per column at a time.</summary>
    public const int BatchRows = 16 * 1024;

    private const ulong NullHash = 0x6E756C6C;
    private const long ReadBufferBytes = 1 << 20;
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>
    /// Rows whose hashes are kept while the columns are read one after the other: 64 MB. A larger row group is read in
    /// windows of this many rows, each column skipping the rows of the windows before.
    /// </summary>
    public const int WindowRows = 8 * 1024 * 1024;

    public static Task<FileStatistics> ReadAsync(Stream content, long sizeBytes, CancellationToken cancellationToken) =>
        ReadAsync(content, sizeBytes, WindowRows, cancellationToken);

    /// <summary>With a smaller <paramref name="windowRows"/>, tests reach the path of row groups larger than a window.</summary>
    public static async Task<FileStatistics> ReadAsync(Stream content, long sizeBytes, int windowRows, CancellationToken cancellationToken)
    {
        await CheckMagicAsync(content, cancellationToken).ConfigureAwait(false);
        content.Position = 0;
        try
        {
            return Read(content, sizeBytes, windowRows, cancellationToken);
        }
        catch (ParquetException e)
        {
            throw new InvalidDataException($"the file could not be read as Parquet: {e.Message}", e);
        }
    }

    private static FileStatistics Read(Stream content, long sizeBytes, int windowRows, CancellationToken cancellationToken)
    {
        // Arrow's default pool (mimalloc) keeps the pages of finished columns resident; malloc with a fixed mmap threshold
        // returns them as soon as a column is done.
        NativeHeap.ReturnLargeBlocksToSystem();
        using var properties = ReaderProperties.WithMemoryPool(MemoryPool.SystemMemoryPool());
        // Without a buffered stream Arrow reads a whole column chunk (compressed) per open column: a row group at once.
        properties.EnableBufferedStream();
        properties.BufferSize = ReadBufferBytes;
        using var file = new ParquetFileReader(content, properties, leaveOpen: true);
        using var metadata = file.FileMetaData;
        var schema = metadata.Schema;
        var descriptors = Enumerable.Range(0, metadata.NumColumns).Select(schema.Column).ToArray();
        var flat = Enumerable.Range(0, descriptors.Length).Where(i => descriptors[i].MaxRepetitionLevel == 0).ToArray();
        var table = new TableAccumulator(flat.Select(i => descriptors[i].Path.ToDotString()));
        ulong[] rowHashes = [];
        for (var group = 0; group < metadata.NumRowGroups; group++)
        {
            using var rowGroup = file.RowGroup(group);
            var groupRows = rowGroup.MetaData.NumRows;
            for (long start = 0; start < groupRows; start += windowRows)
            {
                var rows = (int)Math.Min(windowRows, groupRows - start);
                if (rowHashes.Length < rows)
                {
                    rowHashes = new ulong[rows];
                }

                var hashes = rowHashes.AsSpan(0, rows);
                hashes.Clear();
                // One column at a time: Arrow holds the current page of each open column, and writers such as DuckDB put a
                // whole column chunk in one page. The row hashes of the window wait for the columns after this one.
                for (var c = 0; c < flat.Length; c++)
                {
                    using var column = ColumnBatch.Open(rowGroup.Column(flat[c]), table.Columns[c], start);
                    for (var offset = 0; offset < rows; offset += BatchRows)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        column.Read(hashes.Slice(offset, Math.Min(BatchRows, rows - offset)));
                    }
                }

                foreach (var hash in hashes)
                {
                    table.Rows.Add(hash);
                }
            }
        }

        var statistics = table.Build("parquet", sizeBytes, null);
        var skipped = descriptors.Where(d => d.MaxRepetitionLevel > 0).Select(d => d.Path.ToDotString()).ToList();
        return skipped.Count == 0 ? statistics : statistics with
        {
            Warnings = [.. statistics.Warnings, new StatisticsWarning("nested-columns-skipped", null,
                $"Repeated (list) columns have no statistics: {string.Join(", ", skipped)}.")],
        };
    }

    private static async Task CheckMagicAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.Length < 12)
        {
            throw new InvalidDataException("not a Parquet file: it is too short to hold a footer.");
        }

        var head = new byte[4];
        content.Position = 0;
        await content.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        if (!head.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a Parquet file: header magic PAR1 missing.");
        }

        content.Position = content.Length - 4;
        await content.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        if (!head.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a Parquet file: footer magic missing (the file may be truncated).");
        }
    }

    private static double Seconds(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Subtract(DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>Legacy INT96 timestamps: nanoseconds of the day, then the Julian day.</summary>
    private static double Seconds(Int96 value) =>
        (value.C - 2_440_588) * 86400.0 + (((long)value.B << 32) | (uint)value.A) / 1e9;

    /// <summary>One column of a row group, read a batch at a time into its accumulator and the row hashes.</summary>
    private abstract class ColumnBatch : IDisposable
    {
        public abstract void Read(Span<ulong> rowHashes);

        public abstract void Dispose();

        public static ColumnBatch Open(ColumnReader reader, ColumnAccumulator column, long skipRows)
        {
            // The .NET type values are read as: nullable for an optional column.
            var type = LogicalTypeFactory.Default.GetSystemTypes(reader.ColumnDescriptor, null).Item2;
            var name = reader.ColumnDescriptor.Path.ToDotString();
            try
            {
                // Before the logical reader exists, which reads ahead. A flat column has one value (or null) per row.
                if (skipRows > 0 && reader.Skip(skipRows) != skipRows)
                {
                    throw new InvalidDataException($"column \"{name}\" has fewer values than its row group has rows.");
                }

                return Create(reader, column, Nullable.GetUnderlyingType(type) ?? type, Nullable.GetUnderlyingType(type) is not null, name);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        private static ColumnBatch Create(ColumnReader reader, ColumnAccumulator column, Type type, bool optional, string name) => type switch
        {
            _ when type == typeof(int) => Number<int>(reader, column, optional, isInteger: true),
            _ when type == typeof(long) => Number<long>(reader, column, optional, isInteger: true),
            _ when type == typeof(short) => Number<short>(reader, column, optional, isInteger: true),
            _ when type == typeof(sbyte) => Number<sbyte>(reader, column, optional, isInteger: true),
            _ when type == typeof(byte) => Number<byte>(reader, column, optional, isInteger: true),
            _ when type == typeof(ushort) => Number<ushort>(reader, column, optional, isInteger: true),
            _ when type == typeof(uint) => Number<uint>(reader, column, optional, isInteger: true),
            _ when type == typeof(ulong) => Number<ulong>(reader, column, optional, isInteger: true),
            _ when type == typeof(Half) => Number<Half>(reader, column, optional, isInteger: false),
            _ when type == typeof(float) => Number<float>(reader, column, optional, isInteger: false),
            _ when type == typeof(double) => Number<double>(reader, column, optional, isInteger: false),
            _ when type == typeof(decimal) => Number<decimal>(reader, column, optional, isInteger: false),
            _ when type == typeof(bool) => Values<bool>(reader, column, optional, static (c, v) => c.AddBoolean(v), static v => v ? 1UL : 2UL),
            _ when type == typeof(DateTime) => Values<DateTime>(reader, column, optional,
                static (c, v) => c.AddDateTime(Seconds(v)), static v => StatisticsHash.Number(Seconds(v))),
            _ when type == typeof(DateTimeNanos) => Values<DateTimeNanos>(reader, column, optional,
                static (c, v) => c.AddDateTime(Seconds(v.DateTime)), static v => StatisticsHash.Number(Seconds(v.DateTime))),
            _ when type == typeof(Date) => Values<Date>(reader, column, optional,
                static (c, v) => c.AddDateTime(v.Days * 86400.0), static v => StatisticsHash.Number(v.Days * 86400.0)),
            _ when type == typeof(Int96) => Values<Int96>(reader, column, optional,
                static (c, v) => c.AddDateTime(Seconds(v)), static v => StatisticsHash.Number(Seconds(v))),
            _ when type == typeof(TimeSpan) => Values<TimeSpan>(reader, column, optional,
                static (c, v) => c.AddNumber(v.TotalSeconds, isInteger: false), static v => StatisticsHash.Number(v.TotalSeconds)),
            _ when type == typeof(TimeSpanNanos) => Values<TimeSpanNanos>(reader, column, optional,
                static (c, v) => c.AddNumber(v.TimeSpan.TotalSeconds, isInteger: false), static v => StatisticsHash.Number(v.TimeSpan.TotalSeconds)),
            _ when type == typeof(TimeOnly) => Values<TimeOnly>(reader, column, optional,
                static (c, v) => c.AddNumber(v.ToTimeSpan().TotalSeconds, isInteger: false),
                static v => StatisticsHash.Number(v.ToTimeSpan().TotalSeconds)),
            _ when type == typeof(Guid) => Values<Guid>(reader, column, optional,
                static (c, v) => c.AddString(v.ToString()), static v => StatisticsHash.Text(v.ToString())),
            // Text straight from Arrow's buffers: a .NET string per value was most of the garbage (and its GC heap) of a file.
            _ when type == typeof(string) && reader is ColumnReader<ByteArray> utf8 => new Utf8Strings(utf8, column),
            _ when type == typeof(string) => new References<string>(reader, reader.LogicalReader<string>(), column,
                static (c, v) => c.AddString(v), static v => StatisticsHash.Text(v)),
            // Binary values are summarised by their hex text (the first 32 bytes).
            _ when type == typeof(byte[]) => new References<byte[]>(reader, reader.LogicalReader<byte[]>(), column,
                static (c, v) => c.AddString(Convert.ToHexString(v, 0, Math.Min(v.Length, 32))), static v => StatisticsHash.Bytes(v)),
            _ => throw new InvalidDataException($"column \"{name}\" has a type this reader does not know ({type.Name})."),
        };

        private static ColumnBatch Number<T>(ColumnReader reader, ColumnAccumulator column, bool optional, bool isInteger)
            where T : struct, INumber<T> =>
            isInteger
                ? Values<T>(reader, column, optional, static (c, v) => c.AddNumber(double.CreateTruncating(v), isInteger: true),
                    static v => StatisticsHash.Number(double.CreateTruncating(v)))
                : Values<T>(reader, column, optional, static (c, v) => c.AddNumber(double.CreateTruncating(v), isInteger: false),
                    static v => StatisticsHash.Number(double.CreateTruncating(v)));

        private static ColumnBatch Values<T>(
            ColumnReader reader, ColumnAccumulator column, bool optional, Action<ColumnAccumulator, T> add, Func<T, ulong> hash)
            where T : struct =>
            !optional
                ? new Required<T>(reader, reader.LogicalReader<T>(), column, add, hash)
                : new Optional<T>(reader, reader.LogicalReader<T?>(), column, add, hash);
    }

    private abstract class ColumnBatch<TElement>(ColumnReader columnReader, LogicalColumnReader<TElement> reader) : ColumnBatch
    {
        private readonly TElement[] _values = new TElement[BatchRows];

        public override void Read(Span<ulong> rowHashes)
        {
            var values = _values.AsSpan(0, rowHashes.Length);
            var read = 0;
            while (read < values.Length)
            {
                var count = reader.ReadBatch(values[read..]);
                if (count == 0)
                {
                    throw new InvalidDataException(
                        $"column {columnReader.ColumnIndex} has fewer values than its row group has rows.");
                }

                read += count;
            }

            Accumulate(values, rowHashes);
        }

        public override void Dispose()
        {
            reader.Dispose();
            columnReader.Dispose();
        }

        protected abstract void Accumulate(Span<TElement> values, Span<ulong> rowHashes);
    }

    private sealed class Required<T>(
        ColumnReader columnReader, LogicalColumnReader<T> reader, ColumnAccumulator column, Action<ColumnAccumulator, T> add, Func<T, ulong> hash)
        : ColumnBatch<T>(columnReader, reader)
        where T : struct
    {
        protected override void Accumulate(Span<T> values, Span<ulong> rowHashes)
        {
            for (var i = 0; i < values.Length; i++)
            {
                add(column, values[i]);
                rowHashes[i] = StatisticsHash.Combine(rowHashes[i], hash(values[i]));
            }
        }
    }

    private sealed class Optional<T>(
        ColumnReader columnReader, LogicalColumnReader<T?> reader, ColumnAccumulator column, Action<ColumnAccumulator, T> add, Func<T, ulong> hash)
        : ColumnBatch<T?>(columnReader, reader)
        where T : struct
    {
        protected override void Accumulate(Span<T?> values, Span<ulong> rowHashes)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    add(column, value);
                    rowHashes[i] = StatisticsHash.Combine(rowHashes[i], hash(value));
                }
                else
                {
                    column.AddNull();
                    rowHashes[i] = StatisticsHash.Combine(rowHashes[i], NullHash);
                }
            }
        }
    }

    /// <summary>
    /// A UTF-8 string column read as its physical byte arrays (valid until the next batch), decoded into one reused buffer:
    /// the same characters ParquetSharp's string reader makes (invalid bytes become U+FFFD), without a string per value.
    /// </summary>
    private sealed class Utf8Strings(ColumnReader<ByteArray> reader, ColumnAccumulator column) : ColumnBatch
    {
        private readonly ByteArray[] _values = new ByteArray[BatchRows];
        private readonly short[] _definitions = new short[BatchRows];
        private readonly short _defined = (short)reader.ColumnDescriptor.MaxDefinitionLevel;
        private char[] _chars = new char[256];

        public override void Read(Span<ulong> rowHashes)
        {
            var done = 0;
            while (done < rowHashes.Length)
            {
                var levels = (int)reader.ReadBatch(rowHashes.Length - done, _definitions, default, _values, out _);
                if (levels == 0)
                {
                    throw new InvalidDataException($"column {reader.ColumnIndex} has fewer values than its row group has rows.");
                }

                var hashes = rowHashes.Slice(done, levels);
                var next = 0;
                for (var i = 0; i < hashes.Length; i++)
                {
                    if (_defined > 0 && _definitions[i] < _defined)
                    {
                        column.AddNull();
                        hashes[i] = StatisticsHash.Combine(hashes[i], NullHash);
                        continue;
                    }

                    var text = Decode(_values[next++]);
                    column.AddString(text);
                    hashes[i] = StatisticsHash.Combine(hashes[i], StatisticsHash.Text(text));
                }

                done += levels;
            }
        }

        public override void Dispose() => reader.Dispose();

        private unsafe ReadOnlySpan<char> Decode(ByteArray value)
        {
            var bytes = new ReadOnlySpan<byte>((void*)value.Pointer, value.Length);
            if (_chars.Length < bytes.Length)
            {
                _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
            }

            return _chars.AsSpan(0, System.Text.Encoding.UTF8.GetChars(bytes, _chars));
        }
    }

    private sealed class References<T>(
        ColumnReader columnReader, LogicalColumnReader<T> reader, ColumnAccumulator column, Action<ColumnAccumulator, T> add, Func<T, ulong> hash)
        : ColumnBatch<T>(columnReader, reader)
        where T : class
    {
        protected override void Accumulate(Span<T> values, Span<ulong> rowHashes)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    add(column, value);
                    rowHashes[i] = StatisticsHash.Combine(rowHashes[i], hash(value));
                }
                else
                {
                    column.AddNull();
                    rowHashes[i] = StatisticsHash.Combine(rowHashes[i], NullHash);
                }
            }
        }
    }
}
