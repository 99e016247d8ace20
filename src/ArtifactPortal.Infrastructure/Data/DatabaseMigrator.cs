using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Data;

public sealed partial class DatabaseMigrator(IDbContextFactory<PortalDbContext> factory, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        if (pending.Count == 0)
        {
            LogUpToDate(logger);
            return;
        }

        LogApplying(logger, pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(LogLevel.Information, "Database schema is up to date.")]
    private static partial void LogUpToDate(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Applying {Count} database migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, string migrations);
}
