using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>Brings the schema up to date (the <c>migrate</c> command, or each node at start-up unless turned off).</summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<PortalDbContext> factory, IKeyManager dataProtectionKeys, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    private static readonly TimeSpan DataProtectionKeyLifetime = TimeSpan.FromDays(90);

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            if (pending.Count == 0)
            {
                LogUpToDate(logger);
            }
            else
            {
                LogApplying(logger, pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        EnsureDataProtectionKey();
    }

    /// <summary>
    /// The first data-protection key, made here rather than by each node: nodes started together on an empty key ring
    /// would each make their own at start-up, and a node that loaded the ring before another node's key arrived rejects
    /// that node's cookies and antiforgery tokens until its next refresh, a day later. Run <c>migrate</c> once before
    /// starting several nodes (infra/ does); later keys are made by Data Protection days before they take over.
    /// </summary>
    private void EnsureDataProtectionKey()
    {
        var now = time.GetUtcNow();
        if (!dataProtectionKeys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            var key = dataProtectionKeys.CreateNewKey(now, now + DataProtectionKeyLifetime);
            LogCreatedKey(logger, key.KeyId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Database schema is up to date.")]
    private static partial void LogUpToDate(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Created the first data-protection key {KeyId} in the shared key ring.")]
    private static partial void LogCreatedKey(ILogger logger, Guid keyId);

    [LoggerMessage(LogLevel.Information, "Applying {Count} database migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, string migrations);
}
