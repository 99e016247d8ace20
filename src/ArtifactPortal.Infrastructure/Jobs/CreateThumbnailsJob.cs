using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// Makes the 256 and 64 px WebP thumbnails of a version's images and its cover (the image itself, a mosaic of the first
/// images, or a chart of the first table's statistics), stores them as content-addressed blobs and replaces the
/// version's thumbnail rows in one save. A rejected image keeps the others' thumbnails and fails the job without a retry.
/// </summary>
[AutomaticRetry(Attempts = AnalysisJobRunner.MaxAttempts - 1)]
[Queue(PortalQueues.Analysis)]
public sealed class CreateThumbnailsJob(
    IPortalDbContextFactory dbFactory,
    IBlobStore blobs,
    IFileStatisticsCalculator calculator,
    IThumbnailer thumbnailer,
    AnalysisJobRunner runner)
{
    public static readonly IReadOnlyList<int> Sizes = [256, 64];

    /// <summary>Per-file thumbnails of a folder of thousands of images stop here; the file tree shows icons for the rest.</summary>
    public const int MaxImageThumbnails = 200;

    public const int MosaicImages = 9;

    public Task RunAsync(Guid versionId, CancellationToken cancellationToken) =>
        runner.RunAsync(versionId, AnalysisKind.Thumbnail, (progress, ct) => CreateAsync(versionId, progress, ct), cancellationToken);

    private async Task CreateAsync(Guid versionId, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var files = await runner.FilesAsync(versionId, cancellationToken).ConfigureAwait(false);

        var plan = AnalysisPlan.For(files, calculator, thumbnailer);
        var images = plan.Images.Take(MaxImageThumbnails).ToList();
        var rows = new List<VersionThumbnail>();
        var errors = new List<string>();
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            try
            {
                IReadOnlyList<byte[]> encoded;
                var content = await OpenAsync(image, cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    encoded = await thumbnailer.CreateAsync(content, Sizes, cancellationToken).ConfigureAwait(false);
                }

                rows.AddRange(await StoreAsync(versionId, image.Path, encoded, cancellationToken).ConfigureAwait(false));
            }
            catch (ImageRejectedException e)
            {
                errors.Add(e.Message.Contains(image.Path, StringComparison.Ordinal) ? e.Message : $"{image.Path}: {e.Message}");
            }

            progress.Report((i + 1.0) / (images.Count + 1));
        }

        rows.AddRange(await CoverAsync(versionId, plan, rows, cancellationToken).ConfigureAwait(false));
        await runner.ReplaceResultsAsync(
            (db, ct) => db.VersionThumbnails.Where(r => r.VersionId == versionId).ExecuteDeleteAsync(ct),
            db => db.VersionThumbnails.AddRange(rows),
            cancellationToken).ConfigureAwait(false);

        if (errors.Count > 0)
        {
            throw new AnalysisInputException(string.Join(" ", errors));
        }
    }

    private async Task<IReadOnlyList<VersionThumbnail>> CoverAsync(
        Guid versionId, AnalysisPlan plan, List<VersionThumbnail> imageRows, CancellationToken cancellationToken)
    {
        if (plan.Images.Count >= 2)
        {
            var first = plan.Images.Take(MosaicImages)
                .Select(image => (Func<CancellationToken, Task<Stream>>)(ct => OpenAsync(image, ct)))
                .ToList();
            try
            {
                var mosaic = await thumbnailer.CreateMosaicAsync(first, Sizes, cancellationToken).ConfigureAwait(false);
                return await StoreAsync(versionId, "", mosaic, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageRejectedException)
            {
                // A bad image among the first: the first good thumbnail stands in; the image's own failure is reported.
            }
        }

        if (imageRows.Count > 0)
        {
            var path = imageRows[0].Path;
            return [.. imageRows.Where(r => r.Path == path).Select(r => new VersionThumbnail
            {
                VersionId = versionId,
                Path = "",
                Size = r.Size,
                Sha256 = r.Sha256,
                Length = r.Length,
            })];
        }

        if (plan.Images.Count == 0 && plan.TabularFiles.Count > 0
            && await FirstStatisticsAsync(versionId, plan, cancellationToken).ConfigureAwait(false) is { } statistics)
        {
            var chart = await thumbnailer.CreateChartAsync(statistics, Sizes, cancellationToken).ConfigureAwait(false);
            return await StoreAsync(versionId, "", chart, cancellationToken).ConfigureAwait(false);
        }

        return [];
    }

    /// <summary>The stored statistics of the first table that has some; the statistics job runs before this one.</summary>
    private async Task<FileStatistics?> FirstStatisticsAsync(Guid versionId, AnalysisPlan plan, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = await db.VersionFileStatistics.AsNoTracking()
            .Where(s => s.VersionId == versionId && s.StatisticsJson != null)
            .Select(s => new { s.Path, s.StatisticsJson })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var first = plan.TabularFiles.Select(f => stored.FirstOrDefault(s => s.Path == f.Path)).FirstOrDefault(s => s is not null);
        return first?.StatisticsJson is { } json ? FileStatisticsJson.Deserialize(json) : null;
    }

    private async Task<Stream> OpenAsync(ArtifactFileEntry file, CancellationToken cancellationToken) =>
        await blobs.OpenReadAsync(file.Sha256, cancellationToken).ConfigureAwait(false)
        ?? throw new FileNotFoundException($"The stored content of {file.Path} is missing.");

    private async Task<List<VersionThumbnail>> StoreAsync(Guid versionId, string path, IReadOnlyList<byte[]> encoded, CancellationToken cancellationToken)
    {
        var rows = new List<VersionThumbnail>();
        for (var i = 0; i < Sizes.Count && i < encoded.Count; i++)
        {
            using var content = new MemoryStream(encoded[i], writable: false);
            var stored = await blobs.PutAsync(content, null, null, cancellationToken).ConfigureAwait(false);
            rows.Add(new VersionThumbnail { VersionId = versionId, Path = path, Size = Sizes[i], Sha256 = stored.Sha256, Length = stored.Length });
        }

        return rows;
    }
}
