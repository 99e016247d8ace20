namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// The Hangfire queues portal jobs go to. Each job's queue is fixed in code, so a web node enqueues to the same queue
/// whatever its own Jobs:Queues says; worker nodes choose which of these queues they take jobs from.
/// </summary>
public static class PortalQueues
{
    /// <summary>Statistics and thumbnails: CPU and I/O heavy, worth their own worker nodes.</summary>
    public const string Analysis = "analysis";

    /// <summary>Everything else: webhooks, emails and the recurring maintenance jobs.</summary>
    public const string Default = "default";

    /// <summary>In priority order: a node that takes both serves the people waiting for a version page first.</summary>
    public static readonly IReadOnlyList<string> All = [Analysis, Default];
}
