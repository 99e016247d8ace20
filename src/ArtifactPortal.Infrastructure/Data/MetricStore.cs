using System.Data.Common;
using System.Globalization;
using System.Text;
using ArtifactPortal.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>
/// Metric points through plain parameterised SQL on the context's connection: tracking a thousand entities per batch
/// costs more than the database does, and reading a million for a chart must not build a million objects.
/// </summary>
internal sealed class MetricStore(IDbContextFactory<PortalDbContext> factory) : IMetricStore
{
    public async Task<bool> AppendAsync(Guid runId, IReadOnlyList<NewMetricPoint> points, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = Summarize(points);
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var setBased = db.Database.IsSqlite() || db.Database.IsNpgsql();
        // One transaction, one commit: heartbeat, new series, summaries and points.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var beating = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastHeartbeatAt, now), cancellationToken)
            .ConfigureAwait(false);
        if (beating == 0)
        {
            return false;
        }

        var seriesIds = await EnsureSeriesAsync(db, runId, keys.Keys, now, setBased, cancellationToken).ConfigureAwait(false);
        // The summary UPDATE comes before the points: it takes the series row's lock (the write lock on SQLite) until commit,
        // so the next batch for the same key waits here and then numbers its points after these.
        Dictionary<long, long> counts;
        if (setBased)
        {
            counts = await UpdateSummariesAsync(db, seriesIds, keys, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var (key, batch) in keys)
            {
                await UpdateSummaryAsync(db, seriesIds[key], batch, now, cancellationToken).ConfigureAwait(false);
            }

            var ids = seriesIds.Values.ToList();
            counts = await db.MetricSeries.Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Count })
                .ToDictionaryAsync(s => s.Id, s => s.Count, cancellationToken)
                .ConfigureAwait(false);
        }

        var next = keys.ToDictionary(k => k.Key, k => counts[seriesIds[k.Key]] - k.Value.Count, StringComparer.Ordinal);
        var arrival = now.ToUnixTimeMilliseconds();
        var rows = new (long SeriesId, long Index, NewMetricPoint Point)[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var key = points[i].Key;
            rows[i] = (seriesIds[key], next[key]++, points[i] with { TimestampMs = points[i].TimestampMs ?? arrival });
        }

        if (db.Database.GetDbConnection() is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, rows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await InsertAsync(db, transaction.GetDbTransaction(), rows, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<MetricColumns> ReadPointsAsync(long seriesId, long fromIndex, long toIndex, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT "Step", "TimestampMs", "Value", CAST("Kind" AS INTEGER) FROM "MetricPoints"
            WHERE "SeriesId" = @series AND "Index" >= @from AND "Index" < @to ORDER BY "Index"
            """;
        AddParameter(command, "@series", seriesId);
        AddParameter(command, "@from", fromIndex);
        AddParameter(command, "@to", toIndex);
        var columns = MetricColumns.FromArrivals(checked((int)(toIndex - fromIndex)));
        var n = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (n < columns.Length && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Set(n++, reader.GetInt64(0), reader.GetInt64(1), FromStored(reader.GetDouble(2), (MetricValueKind)reader.GetInt32(3)));
            }
        }

        return n == columns.Length ? columns : new MetricColumns(columns.Steps, columns.Timestamps, columns.Values, n);
    }

    public static (double Value, MetricValueKind Kind) ToStored(double value) => value switch
    {
        double.NaN => (0, MetricValueKind.NaN),
        double.PositiveInfinity => (0, MetricValueKind.PositiveInfinity),
        double.NegativeInfinity => (0, MetricValueKind.NegativeInfinity),
        _ => (value, MetricValueKind.Finite),
    };

    public static double FromStored(double value, MetricValueKind kind) => kind switch
    {
        MetricValueKind.NaN => double.NaN,
        MetricValueKind.PositiveInfinity => double.PositiveInfinity,
        MetricValueKind.NegativeInfinity => double.NegativeInfinity,
        _ => value,
    };

    private static Dictionary<string, KeyBatch> Summarize(IReadOnlyList<NewMetricPoint> points)
    {
        var keys = new Dictionary<string, KeyBatch>(StringComparer.Ordinal);
        foreach (var (key, step, value, _) in points)
        {
            if (!keys.TryGetValue(key, out var batch))
            {
                keys[key] = batch = new KeyBatch();
            }

            batch.Count++;
            // Highest step wins; on a tie the later point.
            if (batch.LastStep is not { } lastStep || step >= lastStep)
            {
                (batch.LastStep, batch.Last) = (step, double.IsFinite(value) ? value : null);
            }

            if (double.IsFinite(value))
            {
                if (batch.Min is not { } min || value < min)
                {
                    (batch.Min, batch.MinStep) = (value, step);
                }

                if (batch.Max is not { } max || value > max)
                {
                    (batch.Max, batch.MaxStep) = (value, step);
                }
            }
        }

        return keys;
    }

    /// <summary>The series id of every key, creating the missing series inside the open transaction.</summary>
    private static async Task<Dictionary<string, long>> EnsureSeriesAsync(
        PortalDbContext db, Guid runId, IEnumerable<string> keys, DateTimeOffset now, bool setBased, CancellationToken cancellationToken)
    {
        var wanted = keys.ToList();
        for (var attempt = 0; ; attempt++)
        {
            var existing = await db.MetricSeries.AsNoTracking().Where(s => s.RunId == runId && wanted.Contains(s.Key))
                .Select(s => new { s.Key, s.Id })
                .ToDictionaryAsync(s => s.Key, s => s.Id, StringComparer.Ordinal, cancellationToken)
                .ConfigureAwait(false);
            var missing = wanted.Where(k => !existing.ContainsKey(k)).ToList();
            if (missing.Count == 0)
            {
                return existing;
            }

            if (attempt > 0)
            {
                throw new InvalidOperationException($"Metric series of run {runId} could not be created: {string.Join(", ", missing)}.");
            }

            if (setBased)
            {
                // A batch for the same new key may be creating it right now: ON CONFLICT keeps its row and fails nothing.
                await InsertSeriesAsync(db, runId, missing, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // SQL Server: the summary UPDATEs serialise concurrent batches of one run only after this point, so a
                // concurrent creation of the same key fails the batch (the client retries it).
                db.MetricSeries.AddRange(missing.Select(k => new MetricSeries { RunId = runId, Key = k, UpdatedAt = now }));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task InsertSeriesAsync(PortalDbContext db, Guid runId, List<string> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var sql = new StringBuilder("""INSERT INTO "MetricSeries" ("RunId", "Key", "Count", "UpdatedAt") VALUES """);
        AddParameter(command, "@run", ProviderValue(db, nameof(MetricSeries.RunId), runId));
        AddParameter(command, "@now", ProviderValue(db, nameof(MetricSeries.UpdatedAt), now));
        for (var i = 0; i < keys.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}(@run, @key{i}, 0, @now)");
            AddParameter(command, $"@key{i}", keys[i]);
        }

        command.CommandText = sql.Append(""" ON CONFLICT ("RunId", "Key") DO NOTHING""").ToString();
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A value as the provider stores it for this property (SQLite keeps DateTimeOffset as a number, see PortalDbContext).</summary>
    private static object ProviderValue(PortalDbContext db, string property, object value)
    {
        var mapping = db.Model.FindEntityType(typeof(MetricSeries))!.FindProperty(property)!.GetTypeMapping();
        return mapping.Converter is { } converter ? converter.ConvertToProvider(value)! : value;
    }

    /// <summary>
    /// SQLite and PostgreSQL: every key's summary in one UPDATE … FROM (VALUES …) RETURNING the new counts, so neither an
    /// UPDATE per key nor a read of the counts afterwards. The values are numbers this code formats (see <see cref="InsertAsync"/>).
    /// </summary>
    private static async Task<Dictionary<long, long>> UpdateSummariesAsync(
        PortalDbContext db, Dictionary<string, long> seriesIds, Dictionary<string, KeyBatch> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var real = db.Database.IsNpgsql() ? "double precision" : "REAL";
        var integer = db.Database.IsNpgsql() ? "bigint" : "INTEGER";
        string Number(double? value) => value is { } v ? $"CAST({v.ToString("R", CultureInfo.InvariantCulture)} AS {real})" : $"CAST(NULL AS {real})";
        string Step(long? value) => value is { } v ? $"CAST({v.ToString(CultureInfo.InvariantCulture)} AS {integer})" : $"CAST(NULL AS {integer})";
        // Locking the rows in id order keeps two batches of the same keys from waiting on each other.
        var values = string.Join(",", keys.OrderBy(k => seriesIds[k.Key]).Select(k =>
        {
            var b = k.Value;
            return string.Create(CultureInfo.InvariantCulture,
                $"({Step(seriesIds[k.Key])},{Step(b.Count)},{Number(b.Last)},{Step(b.LastStep)},{Number(b.Min)},{Step(b.MinStep)},{Number(b.Max)},{Step(b.MaxStep)})");
        }));
        // v.column1 … column8: id, count, last, last step, min, min step, max, max step. Every right-hand side reads the row
        // as it was before this UPDATE; a key whose points are all NaN/±Inf has a NULL min and max and leaves them alone.
        const string NewLast = """(s."LastStep" IS NULL OR s."LastStep" <= v.column4)""";
        const string NewMin = """(v.column5 IS NOT NULL AND (s."Min" IS NULL OR s."Min" > v.column5))""";
        const string NewMax = """(v.column7 IS NOT NULL AND (s."Max" IS NULL OR s."Max" < v.column7))""";
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = $"""
            UPDATE "MetricSeries" AS s SET
              "Count" = s."Count" + v.column2,
              "UpdatedAt" = @now,
              "Last" = CASE WHEN {NewLast} THEN v.column3 ELSE s."Last" END,
              "LastStep" = CASE WHEN {NewLast} THEN v.column4 ELSE s."LastStep" END,
              "Min" = CASE WHEN {NewMin} THEN v.column5 ELSE s."Min" END,
              "MinStep" = CASE WHEN {NewMin} THEN v.column6 ELSE s."MinStep" END,
              "Max" = CASE WHEN {NewMax} THEN v.column7 ELSE s."Max" END,
              "MaxStep" = CASE WHEN {NewMax} THEN v.column8 ELSE s."MaxStep" END
            FROM (VALUES {values}) AS v
            WHERE s."Id" = v.column1
            RETURNING "Id", "Count"
            """;
        AddParameter(command, "@now", ProviderValue(db, nameof(MetricSeries.UpdatedAt), now));
        var counts = new Dictionary<long, long>(keys.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static Task<int> UpdateSummaryAsync(PortalDbContext db, long seriesId, KeyBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (count, last, lastStep) = (batch.Count, batch.Last, batch.LastStep);
        return db.MetricSeries.Where(s => s.Id == seriesId).ExecuteUpdateAsync(
            u =>
            {
                // Every right-hand side reads the row as it was before this UPDATE.
                u.SetProperty(s => s.Count, s => s.Count + count);
                u.SetProperty(s => s.UpdatedAt, now);
                u.SetProperty(s => s.Last, s => s.LastStep == null || s.LastStep <= lastStep ? last : s.Last);
                u.SetProperty(s => s.LastStep, s => s.LastStep == null || s.LastStep <= lastStep ? lastStep : s.LastStep);
                if (batch is { Min: { } min, MinStep: { } minStep, Max: { } max, MaxStep: { } maxStep })
                {
                    u.SetProperty(s => s.MinStep, s => s.Min == null || s.Min > min ? minStep : s.MinStep);
                    u.SetProperty(s => s.Min, s => s.Min == null || s.Min > min ? min : s.Min);
                    u.SetProperty(s => s.MaxStep, s => s.Max == null || s.Max < max ? maxStep : s.MaxStep);
                    u.SetProperty(s => s.Max, s => s.Max == null || s.Max < max ? max : s.Max);
                }
            },
            cancellationToken);
    }

    /// <remarks>
    /// The values are written into the statement as literals: they are numbers this code formats itself (no text from the
    /// client), and binding 6,000 named parameters cost Microsoft.Data.Sqlite far more than the insert (a name lookup each).
    /// </remarks>
    private static async Task InsertAsync(
        PortalDbContext db, DbTransaction transaction, (long SeriesId, long Index, NewMetricPoint Point)[] rows, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(rows.Length * 64)
            .Append("""INSERT INTO "MetricPoints" ("SeriesId", "Index", "Step", "TimestampMs", "Value", "Kind") VALUES """);
        for (var r = 0; r < rows.Length; r++)
        {
            var (seriesId, index, point) = rows[r];
            var (value, kind) = ToStored(point.Value);
            sql.Append(CultureInfo.InvariantCulture,
                $"{(r == 0 ? "" : ",")}({seriesId},{index},{point.Step},{point.TimestampMs!.Value},{value.ToString("R", CultureInfo.InvariantCulture)},{(int)kind})");
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PostgreSQL: binary COPY inside the open transaction; no SQL text to build or parse for a thousand rows.</summary>
    private static async Task CopyAsync(
        NpgsqlConnection connection, (long SeriesId, long Index, NewMetricPoint Point)[] rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            """COPY "MetricPoints" ("SeriesId", "Index", "Step", "TimestampMs", "Value", "Kind") FROM STDIN (FORMAT BINARY)""", cancellationToken)
            .ConfigureAwait(false);
        foreach (var (seriesId, index, point) in rows)
        {
            var (value, kind) = ToStored(point.Value);
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(seriesId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(index, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(point.Step, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(point.TimestampMs!.Value, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter<T>(DbCommand command, string name, T value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed class KeyBatch
    {
        public int Count;
        public double? Last;
        public long? LastStep;
        public double? Min;
        public long? MinStep;
        public double? Max;
        public long? MaxStep;
    }
}
