namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>A cheap check that the store can be reached and written to, for the storage health check.</summary>
internal interface IBlobStoreProbe
{
    /// <summary>Returns a description of the healthy store; throws when it is not.</summary>
    Task<string> ProbeAsync(CancellationToken cancellationToken);
}
