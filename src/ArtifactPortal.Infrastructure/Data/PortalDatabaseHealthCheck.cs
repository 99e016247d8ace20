using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>
/// A health check that asks the portal's database one question within a few seconds; a database that does not answer in
/// time, or fails, is unhealthy with <paramref name="failure"/>. Only the caller's own cancellation propagates.
/// </summary>
internal abstract class PortalDatabaseHealthCheck(IDbContextFactory<PortalDbContext> factory, string failure) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = await factory.CreateDbContextAsync(timeout.Token).ConfigureAwait(false);
            return await CheckAsync(db, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(failure, e);
        }
    }

    protected abstract Task<HealthCheckResult> CheckAsync(PortalDbContext db, CancellationToken cancellationToken);
}
