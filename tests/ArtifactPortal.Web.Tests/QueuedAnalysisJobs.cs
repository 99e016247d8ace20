using System.Collections.Concurrent;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests;

/// <summary>Keeps the jobs the portal queues until a test runs them with the real job classes, so it can see the page before and after.</summary>
public sealed class QueuedAnalysisJobs(IServiceProvider services) : IAnalysisJobScheduler
{
    private readonly ConcurrentQueue<(Guid VersionId, AnalysisKind Kind)> _queued = new();

    public string Enqueue(Guid versionId, AnalysisKind kind, string? afterJobId = null)
    {
        _queued.Enqueue((versionId, kind));
        return Guid.NewGuid().ToString("N");
    }

    /// <summary>Runs the queued jobs in order (statistics before the thumbnails that chart them).</summary>
    public async Task RunAllAsync()
    {
        while (_queued.TryDequeue(out var job))
        {
            await (job.Kind == AnalysisKind.Statistics
                ? services.GetRequiredService<ComputeStatisticsJob>().RunAsync(job.VersionId, CancellationToken.None)
                : services.GetRequiredService<CreateThumbnailsJob>().RunAsync(job.VersionId, CancellationToken.None));
        }
    }
}
