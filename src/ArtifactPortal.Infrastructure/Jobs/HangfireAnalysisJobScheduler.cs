using ArtifactPortal.Core.Analysis;
using Hangfire;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>Analysis jobs as Hangfire jobs; arguments are the version id only, the job reads everything else itself.</summary>
internal sealed class HangfireAnalysisJobScheduler(IBackgroundJobClient jobs) : IAnalysisJobScheduler
{
    public string Enqueue(Guid versionId, AnalysisKind kind, string? afterJobId = null) => (kind, afterJobId) switch
    {
        (AnalysisKind.Statistics, null) => jobs.Enqueue<ComputeStatisticsJob>(job => job.RunAsync(versionId, CancellationToken.None)),
        (AnalysisKind.Statistics, _) => jobs.ContinueJobWith<ComputeStatisticsJob>(
            afterJobId, job => job.RunAsync(versionId, CancellationToken.None), JobContinuationOptions.OnAnyFinishedState),
        (AnalysisKind.Thumbnail, null) => jobs.Enqueue<CreateThumbnailsJob>(job => job.RunAsync(versionId, CancellationToken.None)),
        (AnalysisKind.Thumbnail, _) => jobs.ContinueJobWith<CreateThumbnailsJob>(
            afterJobId, job => job.RunAsync(versionId, CancellationToken.None), JobContinuationOptions.OnAnyFinishedState),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown analysis kind."),
    };
}
