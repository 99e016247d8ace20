namespace ArtifactPortal.Core.Analysis;

/// <summary>Hands analysis jobs to the background job server (Hangfire in Infrastructure).</summary>
public interface IAnalysisJobScheduler
{
    /// <summary>Queues <paramref name="kind"/> for the version; with <paramref name="afterJobId"/> it starts once that job finishes.</summary>
    /// <returns>The job server's id of the queued job.</returns>
    string Enqueue(Guid versionId, AnalysisKind kind, string? afterJobId = null);
}
