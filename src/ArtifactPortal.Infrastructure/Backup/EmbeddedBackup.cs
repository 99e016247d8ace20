using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using Microsoft.Data.Sqlite;

namespace ArtifactPortal.Infrastructure.Backup;

/// <summary>What a backup folder holds, written last as backup.json: a folder without it is not a finished backup.</summary>
public sealed record BackupManifest(
    int Format, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, long> Tables, bool HasJobs, int Blobs, long BlobBytes)
{
    public const int CurrentFormat = 1;
}

/// <summary>A backup or restore that cannot be trusted; the message says what is wrong.</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>
/// Backup and restore of the embedded default (SQLite database files plus any <see cref="IBlobStore"/>). The database is
/// snapshotted first with VACUUM INTO (consistent while the portal runs); blobs are copied after it: they are immutable and
/// content-addressed, and every blob the snapshot names already existed when the snapshot was taken.
/// </summary>
public static class EmbeddedBackup
{
    public const string ManifestFile = "backup.json";
    public const string DatabaseFile = "portal.db";
    public const string JobsFile = "hangfire.db";
    public const string BlobFolder = "blobs";
    public const string BlobListFile = "blobs.sha256";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="database">The portal's SQLite file.</param>
    /// <param name="jobs">Hangfire's SQLite file, or null when there is none yet.</param>
    public static async Task<BackupManifest> BackupAsync(string database, string? jobs, IBlobStore blobs, string target, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new BackupException($"{target} is not empty; a backup goes into a new or empty folder.");
        }

        Directory.CreateDirectory(target);
        var createdAt = time.GetUtcNow();
        // The portal's database first, then Hangfire's: every row in the first snapshot has its queued job in the second.
        var databaseCopy = Path.Combine(target, DatabaseFile);
        await SnapshotAsync(database, databaseCopy, cancellationToken).ConfigureAwait(false);
        var hasJobs = jobs is not null && File.Exists(jobs);
        if (hasJobs)
        {
            await SnapshotAsync(jobs!, Path.Combine(target, JobsFile), cancellationToken).ConfigureAwait(false);
        }

        var copied = new List<(string Sha256, long Length)>();
        await foreach (var blob in blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var stream = await blobs.OpenReadAsync(blob.Sha256, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                // Deleted by the cleanup job since it was listed: unreferenced, so not needed (checked below).
                continue;
            }

            await using (stream.ConfigureAwait(false))
            {
                var length = await CopyVerifiedAsync(stream, BlobPath(target, blob.Sha256), blob.Sha256, cancellationToken).ConfigureAwait(false);
                copied.Add((blob.Sha256, length));
            }
        }

        var present = copied.Select(c => c.Sha256).ToHashSet(StringComparer.Ordinal);
        var missing = (await ReferencedBlobsAsync(databaseCopy, cancellationToken).ConfigureAwait(false)).Where(h => !present.Contains(h)).ToList();
        if (missing.Count > 0)
        {
            throw new BackupException(
                $"The database names {missing.Count} blob(s) the blob store does not hold, e.g. {missing[0]}; the backup would be incomplete.");
        }

        await File.WriteAllLinesAsync(Path.Combine(target, BlobListFile),
            copied.OrderBy(c => c.Sha256, StringComparer.Ordinal).Select(c => $"{c.Sha256}  {BlobFolder}/{c.Sha256[..2]}/{c.Sha256[2..4]}/{c.Sha256}"),
            cancellationToken).ConfigureAwait(false);
        var manifest = new BackupManifest(BackupManifest.CurrentFormat, createdAt, await CountRowsAsync(databaseCopy, cancellationToken).ConfigureAwait(false),
            hasJobs, copied.Count, copied.Sum(c => c.Length));
        await File.WriteAllTextAsync(Path.Combine(target, ManifestFile), JsonSerializer.Serialize(manifest, Json), cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>
    /// Checks the whole backup (manifest, database integrity and row counts, every blob's SHA-256) and throws before anything
    /// is written when any of it is wrong or missing.
    /// </summary>
    public static async Task<BackupManifest> VerifyAsync(string source, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(source, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new BackupException($"{source} has no {ManifestFile}: it is not a finished backup.");
        }

        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath, cancellationToken).ConfigureAwait(false), Json)
            ?? throw new BackupException($"{manifestPath} is empty.");
        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new BackupException($"{manifestPath} has format {manifest.Format}; this version reads format {BackupManifest.CurrentFormat}.");
        }

        var database = Path.Combine(source, DatabaseFile);
        if (!File.Exists(database) || (manifest.HasJobs && !File.Exists(Path.Combine(source, JobsFile))))
        {
            throw new BackupException($"{source} lacks {DatabaseFile}{(manifest.HasJobs ? $" or {JobsFile}" : "")}.");
        }

        await CheckIntegrityAsync(database, cancellationToken).ConfigureAwait(false);
        CompareRows(manifest.Tables, await CountRowsAsync(database, cancellationToken).ConfigureAwait(false), database);

        var listed = await ReadBlobListAsync(source, cancellationToken).ConfigureAwait(false);
        if (listed.Count != manifest.Blobs)
        {
            throw new BackupException($"{BlobListFile} lists {listed.Count} blobs; {ManifestFile} says {manifest.Blobs}.");
        }

        foreach (var sha256 in listed)
        {
            var path = BlobPath(source, sha256);
            if (!File.Exists(path))
            {
                throw new BackupException($"Blob {sha256} is missing from the backup ({path}).");
            }

            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
                if (actual != sha256)
                {
                    throw new BackupException($"Blob {sha256} in the backup is damaged: its content hashes to {actual}.");
                }
            }
        }

        var named = await ReferencedBlobsAsync(database, cancellationToken).ConfigureAwait(false);
        var absent = named.Where(h => !listed.Contains(h)).ToList();
        if (absent.Count > 0)
        {
            throw new BackupException($"The backed-up database names {absent.Count} blob(s) the backup does not hold, e.g. {absent[0]}.");
        }

        return manifest;
    }

    /// <summary>Puts the database files in place; refuses to overwrite an existing database.</summary>
    public static async Task RestoreDatabaseAsync(string source, BackupManifest manifest, string database, string jobs, CancellationToken cancellationToken)
    {
        foreach (var existing in new[] { database, jobs })
        {
            if (File.Exists(existing) && new FileInfo(existing).Length > 0)
            {
                throw new BackupException($"{existing} already exists; restore into an empty data directory (move the old one aside first).");
            }
        }

        await CopyIntoPlaceAsync(Path.Combine(source, DatabaseFile), database, cancellationToken).ConfigureAwait(false);
        if (manifest.HasJobs)
        {
            await CopyIntoPlaceAsync(Path.Combine(source, JobsFile), jobs, cancellationToken).ConfigureAwait(false);
        }

        CompareRows(manifest.Tables, await CountRowsAsync(database, cancellationToken).ConfigureAwait(false), database);
    }

    /// <summary>Puts every blob of a verified backup into the store, which checks each hash once more as it writes.</summary>
    public static async Task<int> RestoreBlobsAsync(string source, IBlobStore blobs, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var sha256 in await ReadBlobListAsync(source, cancellationToken).ConfigureAwait(false))
        {
            var stream = File.OpenRead(BlobPath(source, sha256));
            await using (stream.ConfigureAwait(false))
            {
                await blobs.PutAsync(stream, sha256, maxBytes: null, cancellationToken).ConfigureAwait(false);
            }

            count++;
        }

        return count;
    }

    /// <summary>Rows per table (SQLite's internal tables aside), in name order.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, SqliteOpenMode.ReadOnly, cancellationToken).ConfigureAwait(false);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            counts[table] = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static string BlobPath(string root, string sha256)
    {
        BlobHash.Validate(sha256);
        return Path.Combine(root, BlobFolder, sha256[..2], sha256[2..4], sha256);
    }

    private static async Task SnapshotAsync(string database, string target, CancellationToken cancellationToken)
    {
        if (!File.Exists(database))
        {
            throw new BackupException($"{database} does not exist: is this the portal's data directory?");
        }

        await using (var connection = await OpenAsync(database, SqliteOpenMode.ReadOnly, cancellationToken).ConfigureAwait(false))
        {
            await using var vacuum = connection.CreateCommand();
            // One read transaction: a consistent copy while the portal keeps writing, compacted on the way.
            vacuum.CommandText = "VACUUM INTO $target";
            vacuum.Parameters.AddWithValue("$target", target);
            await vacuum.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CheckIntegrityAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CheckIntegrityAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, SqliteOpenMode.ReadOnly, cancellationToken).ConfigureAwait(false);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        var result = (string?)await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (result != "ok")
        {
            throw new BackupException($"{database} fails SQLite's integrity check: {result}");
        }
    }

    /// <summary>The hashes the database needs: version files and thumbnails (as the cleanup job keeps them).</summary>
    private static async Task<HashSet<string>> ReferencedBlobsAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, SqliteOpenMode.ReadOnly, cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Sha256 FROM ArtifactFiles UNION SELECT Sha256 FROM VersionThumbnails";
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    private static async Task<HashSet<string>> ReadBlobListAsync(string source, CancellationToken cancellationToken)
    {
        var path = Path.Combine(source, BlobListFile);
        if (!File.Exists(path))
        {
            throw new BackupException($"{source} has no {BlobListFile}.");
        }

        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var hash = line.Split(' ', 2)[0];
            if (!BlobHash.IsValid(hash))
            {
                throw new BackupException($"{BlobListFile} has a line that is not a blob: '{line}'.");
            }

            hashes.Add(hash);
        }

        return hashes;
    }

    private static void CompareRows(IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long> actual, string database)
    {
        var differences = expected.Keys.Union(actual.Keys)
            .Where(t => expected.GetValueOrDefault(t, -1) != actual.GetValueOrDefault(t, -1))
            .Select(t => $"{t}: {expected.GetValueOrDefault(t, -1)} expected, {actual.GetValueOrDefault(t, -1)} found")
            .ToList();
        if (differences.Count > 0)
        {
            throw new BackupException($"{database} does not match the backup's row counts ({string.Join("; ", differences)}).");
        }
    }

    private static async Task<long> CopyVerifiedAsync(Stream source, string target, string sha256, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        long length = 0;
        var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        await using (file.ConfigureAwait(false))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length += read;
            }

            file.Flush(flushToDisk: true);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        return actual == sha256
            ? length
            : throw new BackupException($"Blob {sha256} in the blob store is damaged: its content hashes to {actual}. Restore it from an older backup first.");
    }

    private static async Task CopyIntoPlaceAsync(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var temporary = target + ".restoring";
        var input = File.OpenRead(source);
        await using (input.ConfigureAwait(false))
        {
            var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            await using (output.ConfigureAwait(false))
            {
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
        }

        // Stale journal files of an old database would be applied to the restored one.
        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
        {
            File.Delete(target + suffix);
        }

        File.Move(temporary, target, overwrite: true);
    }

    private static async Task<SqliteConnection> OpenAsync(string database, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = mode, Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
