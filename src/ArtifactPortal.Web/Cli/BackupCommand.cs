using System.CommandLine;
using System.Globalization;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure;
using ArtifactPortal.Infrastructure.Backup;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace ArtifactPortal.Web.Cli;

/// <summary>
/// `admin backup DIR` and `admin restore DIR` for the embedded default (SQLite); PostgreSQL and SQL Server are backed up with
/// their own tools (docs/backup-restore.md).
/// </summary>
internal static class BackupCommand
{
    public static Command Backup()
    {
        var folder = new Argument<string>("DIR") { Description = "A new or empty folder for the backup." };
        var command = new Command("backup", "Back up the SQLite database and every blob into a folder, while the portal runs.") { folder };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = Path.GetFullPath(parseResult.GetRequiredValue(folder));
            var configuration = ReadConfiguration();
            if (SqliteFiles(configuration) is not var (database, jobs))
            {
                return Fail(NotEmbedded);
            }

            await using var app = await OperatorHost.StartAsync(migrate: false, cancellationToken).ConfigureAwait(false);
            try
            {
                var manifest = await EmbeddedBackup.BackupAsync(database, jobs, app.Services.GetRequiredService<IBlobStore>(), target,
                    TimeProvider.System, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Backed up {manifest.Tables.Count} tables ({manifest.Tables.Values.Sum():N0} rows) and {manifest.Blobs:N0} blobs ({manifest.BlobBytes:N0} bytes) to {target}."));
                return ExitCodes.Success;
            }
            catch (BackupException e)
            {
                return Fail($"Backup failed: {e.Message}");
            }
        });
        return command;
    }

    public static Command Restore()
    {
        var folder = new Argument<string>("DIR") { Description = "A folder written by `admin backup`." };
        var command = new Command("restore", "Restore a backup into an empty data directory (stop the portal first).") { folder };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var source = Path.GetFullPath(parseResult.GetRequiredValue(folder));
            var configuration = ReadConfiguration();
            if (SqliteFiles(configuration) is not var (database, jobs))
            {
                return Fail(NotEmbedded);
            }

            try
            {
                // Everything is checked before anything is written: a damaged backup leaves the data directory as it was.
                var manifest = await EmbeddedBackup.VerifyAsync(source, cancellationToken).ConfigureAwait(false);
                await EmbeddedBackup.RestoreDatabaseAsync(source, manifest, database, jobs, cancellationToken).ConfigureAwait(false);
                await using var app = await OperatorHost.StartAsync(migrate: false, cancellationToken).ConfigureAwait(false);
                var blobs = await EmbeddedBackup.RestoreBlobsAsync(source, app.Services.GetRequiredService<IBlobStore>(), cancellationToken)
                    .ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Restored {manifest.Tables.Count} tables ({manifest.Tables.Values.Sum():N0} rows) and {blobs:N0} blobs from the backup of {manifest.CreatedAt:u}."));
                return ExitCodes.Success;
            }
            catch (BackupException e)
            {
                return Fail($"Restore failed: {e.Message}");
            }
        });
        return command;
    }

    private const string NotEmbedded =
        "admin backup/restore handle the embedded SQLite database; back up PostgreSQL or SQL Server with their own tools (docs/backup-restore.md).";

    private static ConfigurationManager ReadConfiguration()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddPortalHosting();
        return builder.Configuration;
    }

    /// <summary>The portal's and Hangfire's SQLite files, or null when the portal runs on another database.</summary>
    private static (string Database, string Jobs)? SqliteFiles(ConfigurationManager configuration)
    {
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        if (provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        var connection = new SqliteConnectionStringBuilder(DatabaseServiceCollectionExtensions.ConnectionString(configuration, provider));
        return (Path.GetFullPath(connection.DataSource), Path.Combine(PortalDataDirectory.Resolve(configuration), EmbeddedBackup.JobsFile));
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return ExitCodes.Failure;
    }
}
