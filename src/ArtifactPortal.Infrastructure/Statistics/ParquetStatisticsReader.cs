using System.Numerics;
using ArtifactPortal.Core.Statistics;
using Parquet;
using Parquet.Schema;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// Parquet with Parquet.Net, row group by row group and column by column, so memory holds one column of one row group.
/// Types come from the schema; repeated (list) columns are left out with a warning.
/// </summary>
internal static class ParquetStatisticsReader
{
    private const ulong NullHash = 0x6E756C6C;
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    public static async Task<FileStatistics> ReadAsync(Stream content, long sizeBytes, CancellationToken cancellationToken)
    {
        await CheckMagicAsync(content, cancellationToken).ConfigureAwait(false);
        content.Position = 0;
        // Parquet.Net's stream pool keeps every buffer it ever used unless told otherwise.
        var options = new ParquetOptions { MaximumSmallPoolFreeBytes = 16 * 1024 * 1024, MaximumLargePoolFreeBytes = 64 * 1024 * 1024 };
        var reader = await ParquetReader.CreateAsync(content, options, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var all = reader.Schema.GetDataFields();
            var fields = all.Where(f => f.MaxRepetitionLevel == 0).ToArray();
            var table = new TableAccumulator(fields.Select(f => f.Path.ToString()));
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                var rows = checked((int)rowGroup.RowCount);
                var rowHashes = new ulong[rows];
                for (var c = 0; c < fields.Length; c++)
                {
                    await ReadColumnAsync(rowGroup, fields[c], table.Columns[c], rowHashes, cancellationToken).ConfigureAwait(false);
                }

                foreach (var hash in rowHashes)
                {
                    table.Rows.Add(hash);
                }
            }

            var statistics = table.Build("parquet", sizeBytes, null);
            var skipped = all.Where(f => f.MaxRepetitionLevel > 0).Select(f => f.Path.ToString()).ToList();
            return skipped.Count == 0 ? statistics : statistics with
            {
                Warnings = [.. statistics.Warnings, new StatisticsWarning("nested-columns-skipped", null,
                    $"Repeated (list) columns have no statistics: {string.Join(", ", skipped)}.")],
            };
        }
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

    private static Task ReadColumnAsync(
        ParquetRowGroupReader rowGroup, DataField field, ColumnAccumulator column, ulong[] rowHashes, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        return type switch
        {
            _ when type == typeof(int) => NumbersAsync<int>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(long) => NumbersAsync<long>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(short) => NumbersAsync<short>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(sbyte) => NumbersAsync<sbyte>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(byte) => NumbersAsync<byte>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(ushort) => NumbersAsync<ushort>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(uint) => NumbersAsync<uint>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(ulong) => NumbersAsync<ulong>(rowGroup, field, column, rowHashes, isInteger: true, cancellationToken),
            _ when type == typeof(float) => NumbersAsync<float>(rowGroup, field, column, rowHashes, isInteger: false, cancellationToken),
            _ when type == typeof(double) => NumbersAsync<double>(rowGroup, field, column, rowHashes, isInteger: false, cancellationToken),
            _ when type == typeof(decimal) => NumbersAsync<decimal>(rowGroup, field, column, rowHashes, isInteger: false, cancellationToken),
            _ when type == typeof(bool) => ValuesAsync<bool>(rowGroup, field, column, rowHashes,
                static (c, v) => c.AddBoolean(v), static v => v ? 1UL : 2UL, cancellationToken),
            _ when type == typeof(DateTime) => ValuesAsync<DateTime>(rowGroup, field, column, rowHashes,
                static (c, v) => c.AddDateTime(Seconds(v)), static v => StatisticsHash.Number(Seconds(v)), cancellationToken),
            _ when type == typeof(DateTimeOffset) => ValuesAsync<DateTimeOffset>(rowGroup, field, column, rowHashes,
                static (c, v) => c.AddDateTime(Seconds(v.UtcDateTime)), static v => StatisticsHash.Number(Seconds(v.UtcDateTime)), cancellationToken),
            _ when type == typeof(DateOnly) => ValuesAsync<DateOnly>(rowGroup, field, column, rowHashes,
                static (c, v) => c.AddDateTime(Seconds(v)), static v => StatisticsHash.Number(Seconds(v)), cancellationToken),
            _ when type == typeof(TimeSpan) => ValuesAsync<TimeSpan>(rowGroup, field, column, rowHashes,
                static (c, v) => c.AddNumber(v.TotalSeconds, isInteger: false), static v => StatisticsHash.Number(v.TotalSeconds), cancellationToken),
            _ when type == typeof(TimeOnly) => ValuesAsync<TimeOnly>(rowGroup, field, column, rowHashes,
                static (c, v) => c.AddNumber(v.ToTimeSpan().TotalSeconds, isInteger: false),
                static v => StatisticsHash.Number(v.ToTimeSpan().TotalSeconds), cancellationToken),
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => StringsAsync(rowGroup, field, column, rowHashes, cancellationToken),
            _ when type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) => BytesAsync(rowGroup, field, column, rowHashes, cancellationToken),
            _ => throw new InvalidDataException($"column \"{field.Path}\" has a type this reader does not know ({type.Name})."),
        };
    }

    private static Task NumbersAsync<T>(ParquetRowGroupReader rowGroup, DataField field, ColumnAccumulator column, ulong[] rowHashes,
        bool isInteger, CancellationToken cancellationToken)
        where T : struct, INumber<T> =>
        isInteger
            ? ValuesAsync<T>(rowGroup, field, column, rowHashes, static (c, v) => c.AddNumber(double.CreateTruncating(v), isInteger: true),
                static v => StatisticsHash.Number(double.CreateTruncating(v)), cancellationToken)
            : ValuesAsync<T>(rowGroup, field, column, rowHashes, static (c, v) => c.AddNumber(double.CreateTruncating(v), isInteger: false),
                static v => StatisticsHash.Number(double.CreateTruncating(v)), cancellationToken);

    private static async Task ValuesAsync<T>(ParquetRowGroupReader rowGroup, DataField field, ColumnAccumulator column, ulong[] rowHashes,
        Action<ColumnAccumulator, T> add, Func<T, ulong> hash, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[rowHashes.Length];
            await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
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
        else
        {
            var values = new T[rowHashes.Length];
            await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < values.Length; i++)
            {
                add(column, values[i]);
                rowHashes[i] = StatisticsHash.Combine(rowHashes[i], hash(values[i]));
            }
        }
    }

    private static async Task StringsAsync(
        ParquetRowGroupReader rowGroup, DataField field, ColumnAccumulator column, ulong[] rowHashes, CancellationToken cancellationToken)
    {
        var values = new string?[rowHashes.Length];
        await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                column.AddString(value);
                rowHashes[i] = StatisticsHash.Combine(rowHashes[i], StatisticsHash.Text(value));
            }
            else
            {
                column.AddNull();
                rowHashes[i] = StatisticsHash.Combine(rowHashes[i], NullHash);
            }
        }
    }

    private static async Task BytesAsync(
        ParquetRowGroupReader rowGroup, DataField field, ColumnAccumulator column, ulong[] rowHashes, CancellationToken cancellationToken)
    {
        var values = new byte[]?[rowHashes.Length];
        await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                // Binary values are summarised by their hex text (the first 32 bytes).
                column.AddString(Convert.ToHexString(value, 0, Math.Min(value.Length, 32)));
                rowHashes[i] = StatisticsHash.Combine(rowHashes[i], StatisticsHash.Bytes(value));
            }
            else
            {
                column.AddNull();
                rowHashes[i] = StatisticsHash.Combine(rowHashes[i], NullHash);
            }
        }
    }

    private static double Seconds(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Subtract(DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private static double Seconds(DateOnly value) => (value.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86400.0;
}
