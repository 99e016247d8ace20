using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>
/// Healthy when a query on a portal table answers within a few seconds: that needs the server up, the database
/// present and the schema migrated (a bare connection test passes on an empty SQLite file).
/// </summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> factory) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = await factory.CreateDbContextAsync(timeout.Token).ConfigureAwait(false);
            await db.Projects.AsNoTracking().AnyAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{db.Database.ProviderName} answered.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable or its schema is missing.", e);
        }
    }
}
