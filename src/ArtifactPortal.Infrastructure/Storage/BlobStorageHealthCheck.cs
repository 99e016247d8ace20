using ArtifactPortal.Core.Artifacts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>Healthy when the configured blob store can be reached (and, on disk, written to).</summary>
internal sealed class BlobStorageHealthCheck(IBlobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (store is IBlobStoreProbe probe)
            {
                return HealthCheckResult.Healthy(await probe.ProbeAsync(cancellationToken).ConfigureAwait(false));
            }

            await store.ExistsAsync(BlobHash.Empty, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Blob store is reachable.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The blob store is not reachable or not writable.", e);
        }
    }
}
