using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>
/// Healthy when a query on a portal table answers within a few seconds: that needs the server up, the database
/// present and the schema migrated (a bare connection test passes on an empty SQLite file).
/// </summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> factory)
    : PortalDatabaseHealthCheck(factory, "The database is unreachable or its schema is missing.")
{
    protected override async Task<HealthCheckResult> CheckAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        await db.Projects.AsNoTracking().AnyAsync(cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy($"{db.Database.ProviderName} answered.");
    }
}
