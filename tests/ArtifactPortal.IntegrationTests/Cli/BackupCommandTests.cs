using System.Security.Cryptography;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Backup;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.Data.Sqlite;

namespace ArtifactPortal.IntegrationTests.Cli;

/// <summary>`admin backup` of a running portal (SQLite + file-system blobs), the data directory wiped, `admin restore`.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string _backup = Path.Combine(Directory.CreateTempSubdirectory("artifactportal-backup-").FullName, "backup");

    [Fact]
    public async Task BackupWipeRestore_RunningPortal_RestoresEveryRowAndBlobAndServesTheSameFile()
    {
        var big = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        string slug;
        string token;
        IReadOnlyDictionary<string, long> rows;
        Dictionary<string, string> blobs;
        await using (var original = PortalWebApplicationFactory.ForSqlite())
        {
            var owner = await original.CreateUserAsync("backup-owner");
            var project = await original.CreateProjectAsync(owner);
            slug = project.Slug;
            token = (await original.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write, project.Id)).Token;
            using var client = original.CreateTokenClient(token);
            await client.CreateArtifactAsync(slug, "weights", "Model");
            await client.CreateArtifactAsync(slug, "eval", "Evaluation");
            await client.UploadVersionAsync(slug, "weights", new Dictionary<string, byte[]> { ["model.bin"] = big, ["notes.txt"] = ArtifactScenario.Text("v1") });
            await client.UploadVersionAsync(slug, "weights", new Dictionary<string, byte[]> { ["model.bin"] = big, ["notes.txt"] = ArtifactScenario.Text("v2") });
            await client.UploadVersionAsync(slug, "eval", new Dictionary<string, byte[]> { ["scores.json"] = ArtifactScenario.Text("{\"f1\":0.9}") });

            var before = await EmbeddedBackup.CountRowsAsync(original.SqliteDatabasePath, CancellationToken.None);
            var backup = await PortalExecutable.RunAsync(original.DataDirectory, "admin", "backup", _backup);
            Assert.True(backup.ExitCode == 0, $"Exit code {backup.ExitCode}: {backup.StandardError}");
            Assert.Contains("Backed up ", backup.StandardOutput, StringComparison.Ordinal);
            rows = await EmbeddedBackup.CountRowsAsync(original.SqliteDatabasePath, CancellationToken.None);
            // Nothing wrote meanwhile, so these are the counts the snapshot must have.
            Assert.Equal(before, rows);
            Assert.Equal(3, rows["ArtifactVersions"]);
            blobs = HashFiles(Path.Combine(original.DataDirectory, "blobs"));
            Assert.Equal(4, blobs.Count);
        }

        // Disposing the portal deleted its data directory: the restore goes into a fresh, empty one.
        await using var restored = PortalWebApplicationFactory.ForSqlite();
        var restore = await PortalExecutable.RunAsync(restored.DataDirectory, "admin", "restore", _backup);
        Assert.True(restore.ExitCode == 0, $"Exit code {restore.ExitCode}: {restore.StandardError}");

        Assert.Equal(rows, await EmbeddedBackup.CountRowsAsync(restored.SqliteDatabasePath, CancellationToken.None));
        Assert.Equal(blobs, HashFiles(Path.Combine(restored.DataDirectory, "blobs")));
        SqliteConnection.ClearAllPools();
        using var restoredClient = restored.CreateTokenClient(token);
        var downloaded = await restoredClient.GetByteArrayAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/weights/versions/v2/files/model.bin");
        Assert.Equal(ArtifactScenario.Sha256(big), ArtifactScenario.Sha256(downloaded));
    }

    [Fact]
    public async Task Restore_DamagedOrMissingBlob_FailsAndWritesNothing()
    {
        await using (var original = PortalWebApplicationFactory.ForSqlite())
        {
            var owner = await original.CreateUserAsync("backup-damage");
            var project = await original.CreateProjectAsync(owner);
            var token = (await original.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write, project.Id)).Token;
            using var client = original.CreateTokenClient(token);
            await client.CreateArtifactAsync(project.Slug, "data");
            await client.UploadVersionAsync(project.Slug, "data", new Dictionary<string, byte[]>
            {
                ["a.bin"] = RandomNumberGenerator.GetBytes(1000),
                ["b.bin"] = RandomNumberGenerator.GetBytes(1000),
            });
            var backup = await PortalExecutable.RunAsync(original.DataDirectory, "admin", "backup", _backup);
            Assert.True(backup.ExitCode == 0, $"Exit code {backup.ExitCode}: {backup.StandardError}");
        }

        var backedUp = Directory.GetFiles(Path.Combine(_backup, EmbeddedBackup.BlobFolder), "*", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(2, backedUp.Count);
        var damaged = backedUp[0];
        var bytes = await File.ReadAllBytesAsync(damaged);
        bytes[500] ^= 0xFF;
        await File.WriteAllBytesAsync(damaged, bytes);

        var target = Directory.CreateTempSubdirectory("artifactportal-restore-").FullName;
        try
        {
            var restore = await PortalExecutable.RunAsync(target, "admin", "restore", _backup);
            Assert.Equal(1, restore.ExitCode);
            Assert.Contains($"Blob {Path.GetFileName(damaged)} in the backup is damaged", restore.StandardError, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(target, "*", SearchOption.AllDirectories));

            File.Delete(damaged);
            restore = await PortalExecutable.RunAsync(target, "admin", "restore", _backup);
            Assert.Equal(1, restore.ExitCode);
            Assert.Contains($"Blob {Path.GetFileName(damaged)} is missing from the backup", restore.StandardError, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(target, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_IntoFolderThatHasFiles_IsRefused()
    {
        var data = Directory.CreateTempSubdirectory("artifactportal-backup-data-").FullName;
        try
        {
            Directory.CreateDirectory(_backup);
            await File.WriteAllTextAsync(Path.Combine(_backup, "keep.txt"), "mine");

            var result = await PortalExecutable.RunAsync(data, "admin", "backup", _backup);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("is not empty", result.StandardError, StringComparison.Ordinal);
            Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(_backup, "keep.txt")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_backup)!, recursive: true);

    /// <summary>SHA-256 of the content of every blob file, by its path under the blob folder.</summary>
    private static Dictionary<string, string> HashFiles(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
