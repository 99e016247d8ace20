using System.Diagnostics;
using System.Security.Cryptography;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.IntegrationTests.Support;
using Npgsql;

namespace ArtifactPortal.IntegrationTests.Backup;

/// <summary>The PostgreSQL procedure of docs/backup-restore.md: pg_dump, then the blobs; wipe; pg_restore into a new database, blobs back.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class PostgresBackupRestoreTests(PortalFixture fixture) : IDisposable
{
    private readonly string _backup = Directory.CreateTempSubdirectory("artifactportal-pgbackup-").FullName;

    [Fact]
    public async Task PgDumpThenBlobs_WipedAndRestored_EveryRowAndBlobBackAndTheFileServed()
    {
        var postgres = await fixture.PostgresAsync();
        var big = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var dump = Path.Combine(_backup, "portal.dump");
        var blobCopy = Path.Combine(_backup, "blobs");
        string slug;
        string token;
        Dictionary<string, long> rows;
        Dictionary<string, string> blobs;
        await using (var original = await PortalWebApplicationFactory.ForPostgresAsync(postgres))
        {
            var owner = await original.CreateUserAsync("pg-backup-owner");
            var project = await original.CreateProjectAsync(owner);
            slug = project.Slug;
            token = (await original.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write, project.Id)).Token;
            using var client = original.CreateTokenClient(token);
            await client.CreateArtifactAsync(slug, "weights", "Model");
            await client.UploadVersionAsync(slug, "weights", new Dictionary<string, byte[]> { ["model.bin"] = big, ["notes.txt"] = ArtifactScenario.Text("v1") });
            await client.UploadVersionAsync(slug, "weights", new Dictionary<string, byte[]> { ["model.bin"] = big, ["notes.txt"] = ArtifactScenario.Text("v2") });

            var before = await CountRowsAsync(original.ConnectionString!);
            await PgToolAsync("pg_dump", "--format=custom", "--no-owner", $"--file={dump}", original.ConnectionString!);
            CopyBlobs(Path.Combine(original.DataDirectory, "blobs"), blobCopy);
            rows = await CountRowsAsync(original.ConnectionString!);
            Assert.Equal(before, rows);
            Assert.Equal(2, rows["public.ArtifactVersions"]);
            blobs = HashFiles(Path.Combine(original.DataDirectory, "blobs"));
            Assert.Equal(3, blobs.Count);
        }

        // The original's database is dropped and its data directory deleted: restore into a new, empty pair.
        await using var restored = await PortalWebApplicationFactory.ForPostgresAsync(postgres);
        await PgToolAsync("pg_restore", "--no-owner", "--exit-on-error", $"--dbname={restored.ConnectionString}", dump);
        CopyBlobs(blobCopy, Path.Combine(restored.DataDirectory, "blobs"));

        Assert.Equal(rows, await CountRowsAsync(restored.ConnectionString!));
        Assert.Equal(blobs, HashFiles(Path.Combine(restored.DataDirectory, "blobs")));
        using var restoredClient = restored.CreateTokenClient(token);
        var downloaded = await restoredClient.GetByteArrayAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/weights/versions/v2/files/model.bin");
        Assert.Equal(ArtifactScenario.Sha256(big), ArtifactScenario.Sha256(downloaded));
    }

    public void Dispose() => Directory.Delete(_backup, recursive: true);

    /// <summary>Exact row counts of the portal's tables (Hangfire's lock, server and counter rows change on their own and are left out).</summary>
    private static async Task<Dictionary<string, long>> CountRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT format('%I.%I', schemaname, relname), schemaname || '.' || relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY 2", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0) + "|" + reader.GetString(1));
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var (quoted, name) = (table.Split('|')[0], table.Split('|')[1]);
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {quoted}", connection);
            counts[name] = (long)(await count.ExecuteScalarAsync())!;
        }

        Assert.True(counts.Count > 10, $"Only {counts.Count} tables found.");
        return counts;
    }

    private static void CopyBlobs(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(from, f).StartsWith('.')))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static Dictionary<string, string> HashFiles(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    /// <summary>pg_dump or pg_restore of the Debian PostgreSQL the fixture runs (the newest under /usr/lib/postgresql), or from PATH.</summary>
    private static async Task PgToolAsync(string tool, params string[] arguments)
    {
        var path = (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(d => Path.Combine(d, "bin", tool))
            .Where(File.Exists)
            .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
            .FirstOrDefault() ?? tool;
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            // libpq takes a key=value connection string where a database name goes; Npgsql's keys differ a little.
            start.ArgumentList.Add(argument.Contains("Host=", StringComparison.Ordinal) ? Libpq(argument) : argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await error}");
    }

    private static string Libpq(string npgsql)
    {
        var builder = new NpgsqlConnectionStringBuilder(npgsql.StartsWith("--dbname=", StringComparison.Ordinal) ? npgsql["--dbname=".Length..] : npgsql);
        var libpq = $"host={builder.Host} port={builder.Port} user={builder.Username} dbname={builder.Database}";
        return npgsql.StartsWith("--dbname=", StringComparison.Ordinal) ? $"--dbname={libpq}" : libpq;
    }
}
