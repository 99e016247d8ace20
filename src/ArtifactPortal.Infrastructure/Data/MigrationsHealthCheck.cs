using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>
/// Healthy when every migration of this build is applied: a node that started before `migrate` ran, or next to an older
/// schema, must not take traffic.
/// </summary>
internal sealed class MigrationsHealthCheck(IDbContextFactory<PortalDbContext> factory) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = await factory.CreateDbContextAsync(timeout.Token).ConfigureAwait(false);
            var pending = (await db.Database.GetPendingMigrationsAsync(timeout.Token).ConfigureAwait(false)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("All migrations are applied.")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending, the first is {pending[0]}: run `migrate`.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The applied migrations could not be read from the database.", e);
        }
    }
}
