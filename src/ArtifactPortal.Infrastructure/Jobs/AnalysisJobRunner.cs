using System.Diagnostics;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>Thrown by a job's work for bad input: recorded as the job's failure, never retried.</summary>
internal sealed class AnalysisInputException(string message) : Exception(message);

/// <summary>
/// The life of an <see cref="AnalysisJob"/> row around a job's work: Running (again, after a killed worker), throttled
/// progress, then Succeeded or Failed with a readable reason. Bad input fails at once; another error is retried once by
/// Hangfire (the row shows Queued with the reason meanwhile), then recorded without throwing so Hangfire stops.
/// </summary>
public sealed partial class AnalysisJobRunner(IPortalDbContextFactory dbFactory, TimeProvider time, ILogger<AnalysisJobRunner> logger)
{
    /// <summary>Runs, counting this one, before a transient error is final.</summary>
    public const int MaxAttempts = 2;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private const double ProgressStep = 0.02;

    /// <param name="work">Reports progress (0..1); throws <see cref="DatasetFormatException"/>, <see cref="ImageRejectedException"/> or
    /// <see cref="AnalysisInputException"/> for bad input.</param>
    public async Task RunAsync(Guid versionId, AnalysisKind kind, Func<IProgress<double>, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var job = await StartAsync(versionId, kind, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            // The version (and its job row) was deleted after the job was queued.
            return;
        }

        var progress = new ThrottledProgress();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteProgressAsync(job.Value.Id, progress, stop.Token);
        try
        {
            await work(progress, cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            await FinishAsync(job.Value.Id, AnalysisStatus.Succeeded, null).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DatasetFormatException or ImageRejectedException or AnalysisInputException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            await FinishAsync(job.Value.Id, AnalysisStatus.Failed, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is shutting down: Hangfire runs the job again on the next worker, from the start.
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            await FinishAsync(job.Value.Id, AnalysisStatus.Queued, null).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            LogJobError(e, kind, versionId, job.Value.Attempts);
            if (job.Value.Attempts < MaxAttempts)
            {
                await FinishAsync(job.Value.Id, AnalysisStatus.Queued, $"Attempt {job.Value.Attempts} failed ({e.Message}); trying once more.")
                    .ConfigureAwait(false);
                throw;
            }

            await FinishAsync(job.Value.Id, AnalysisStatus.Failed, $"Failed after {job.Value.Attempts} attempts: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>The version's files, as the engines need them.</summary>
    public async Task<List<ArtifactFileEntry>> FilesAsync(Guid versionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ArtifactFiles.AsNoTracking().Where(f => f.VersionId == versionId)
            .Select(f => new ArtifactFileEntry(f.Path, f.Size, f.Sha256, f.MediaType))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Removes a job's previous results and saves the new ones in one transaction: re-runs never duplicate.</summary>
    public async Task ReplaceResultsAsync(
        Func<IPortalDbContext, CancellationToken, Task> removeOld, Action<IPortalDbContext> addNew, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await removeOld(db, cancellationToken).ConfigureAwait(false);
            addNew(db);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task<(Guid Id, int Attempts)?> StartAsync(Guid versionId, AnalysisKind kind, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var job = await db.AnalysisJobs.FirstOrDefaultAsync(j => j.VersionId == versionId && j.Kind == kind, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        // Also the way back from a worker killed mid-job: the row still says Running, the job starts over.
        job.Status = AnalysisStatus.Running;
        job.Progress = 0;
        job.StartedAt = time.GetUtcNow();
        job.FinishedAt = null;
        job.Attempts++;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (job.Id, job.Attempts);
    }

    private async Task FinishAsync(Guid jobId, AnalysisStatus status, string? error)
    {
        var finished = status is AnalysisStatus.Succeeded or AnalysisStatus.Failed ? time.GetUtcNow() : (DateTimeOffset?)null;
        var message = error is { Length: > 2000 } ? error[..1997] + "…" : error;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        await db.AnalysisJobs.Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, status)
                    .SetProperty(j => j.Error, message)
                    .SetProperty(j => j.FinishedAt, finished)
                    .SetProperty(j => j.Progress, status == AnalysisStatus.Succeeded ? 1 : 0),
                CancellationToken.None)
            .ConfigureAwait(false);
    }

    /// <summary>Writes progress every 2% or every second at most, so a fast job does not write a row per buffer.</summary>
    private async Task WriteProgressAsync(Guid jobId, ThrottledProgress progress, CancellationToken cancellationToken)
    {
        var written = 0.0;
        var since = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var value = progress.Value;
                if (value <= written || (value - written < ProgressStep && since.Elapsed < ProgressInterval))
                {
                    continue;
                }

                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                await db.AnalysisJobs.Where(j => j.Id == jobId && j.Status == AnalysisStatus.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, value), cancellationToken)
                    .ConfigureAwait(false);
                written = value;
                since.Restart();
            }
        }
        catch (OperationCanceledException)
        {
            // The job finished; its final state is written by the caller.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} job of version {VersionId} failed on attempt {Attempt}.")]
    private partial void LogJobError(Exception exception, AnalysisKind kind, Guid versionId, int attempt);

    private sealed class ThrottledProgress : IProgress<double>
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Report(double value) => Volatile.Write(ref _value, Math.Clamp(value, 0, 1));
    }
}
