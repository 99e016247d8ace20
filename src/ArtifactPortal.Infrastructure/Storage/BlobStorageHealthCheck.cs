using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>Healthy when the blob folder exists and accepts a write.</summary>
internal sealed class BlobStorageHealthCheck(IOptions<StorageOptions> options, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var root = options.Value.RootPath ?? Path.Combine(PortalDataDirectory.Resolve(configuration), "blobs");
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".health-{Guid.NewGuid():N}");
            await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            return HealthCheckResult.Healthy("File system blob store is writable.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("The blob folder is not writable.", e);
        }
    }
}
