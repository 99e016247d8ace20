namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>What one portal process does: serve pages and the API, run background jobs, or both.</summary>
public enum NodeRole
{
    All,
    Web,
    Worker,
}

public static class NodeRoles
{
    /// <summary>Whether the node runs a Hangfire server (and registers the recurring jobs).</summary>
    public static bool RunsJobs(this NodeRole role) => role is NodeRole.All or NodeRole.Worker;

    /// <summary>Whether the node serves pages and the API.</summary>
    public static bool ServesWeb(this NodeRole role) => role is NodeRole.All or NodeRole.Web;
}
