using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// Computes the statistics of every tabular file of a version, streaming each blob through the engine, and replaces the
/// version's stored results in one save: a re-run (or a run restarted after a killed worker) gives the same rows.
/// A file that cannot be read keeps its reason beside the others' results and fails the job without a retry.
/// </summary>
[AutomaticRetry(Attempts = AnalysisJobRunner.MaxAttempts - 1)]
[Queue(PortalQueues.Analysis)]
public sealed class ComputeStatisticsJob(
    IBlobStore blobs,
    IFileStatisticsCalculator calculator,
    IThumbnailer thumbnailer,
    AnalysisJobRunner runner,
    TimeProvider time)
{
    public Task RunAsync(Guid versionId, CancellationToken cancellationToken) =>
        runner.RunAsync(versionId, AnalysisKind.Statistics, (progress, ct) => ComputeAsync(versionId, progress, ct), cancellationToken);

    private async Task ComputeAsync(Guid versionId, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var files = await runner.FilesAsync(versionId, cancellationToken).ConfigureAwait(false);

        var tabular = AnalysisPlan.For(files, calculator, thumbnailer).TabularFiles;
        var total = Math.Max(1, tabular.Sum(f => f.Size));
        long done = 0;
        var results = new List<VersionFileStatistics>();
        foreach (var file in tabular)
        {
            var offset = done;
            var fileProgress = new Progress(p => progress.Report((offset + p * file.Size) / total));
            results.Add(await ComputeFileAsync(versionId, file, fileProgress, cancellationToken).ConfigureAwait(false));
            done += file.Size;
            progress.Report((double)done / total);
        }

        await runner.ReplaceResultsAsync(
            (db, ct) => db.VersionFileStatistics.Where(r => r.VersionId == versionId).ExecuteDeleteAsync(ct),
            db => db.VersionFileStatistics.AddRange(results),
            cancellationToken).ConfigureAwait(false);

        var failed = results.Where(r => r.Error is not null).ToList();
        if (failed.Count > 0)
        {
            throw new AnalysisInputException(string.Join(" ", failed.Select(r => r.Error)));
        }
    }

    private async Task<VersionFileStatistics> ComputeFileAsync(
        Guid versionId, ArtifactFileEntry file, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var result = new VersionFileStatistics { VersionId = versionId, Path = file.Path, ComputedAt = time.GetUtcNow() };
        var content = await blobs.OpenReadAsync(file.Sha256, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"The stored content of {file.Path} is missing.");
        await using (content.ConfigureAwait(false))
        {
            try
            {
                var statistics = await calculator.CalculateAsync(content, file.Path, file.Size, progress, cancellationToken).ConfigureAwait(false);
                result.StatisticsJson = FileStatisticsJson.Serialize(statistics);
                result.RowCount = statistics.RowCount;
                result.ColumnCount = statistics.ColumnCount;
            }
            catch (DatasetFormatException e)
            {
                var message = e.Message.StartsWith(file.Path, StringComparison.Ordinal) ? e.Message : $"{file.Path}: {e.Message}";
                result.Error = message.Length > 2000 ? message[..1997] + "…" : message;
            }
        }

        return result;
    }

    /// <summary>Reports synchronously: <see cref="Progress{T}"/> would post to the thread pool and arrive out of order.</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
