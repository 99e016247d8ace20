using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>
/// Healthy when every migration of this build is applied: a node that started before `migrate` ran, or next to an older
/// schema, must not take traffic.
/// </summary>
internal sealed class MigrationsHealthCheck(IDbContextFactory<PortalDbContext> factory)
    : PortalDatabaseHealthCheck(factory, "The applied migrations could not be read from the database.")
{
    protected override async Task<HealthCheckResult> CheckAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("All migrations are applied.")
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending, the first is {pending[0]}: run `migrate`.");
    }
}
