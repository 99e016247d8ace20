namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>What one portal process does: serve pages and the API, run background jobs, or both.</summary>
public enum NodeRole
{
    All,
    Web,
    Worker,
}
