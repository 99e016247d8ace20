using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>What one run of <see cref="CleanUpStorageJob"/> removed.</summary>
public sealed record StorageCleanup(int ExpiredUploads, int OrphanedStagingFolders, int AbandonedTemporaries, int UnreferencedBlobs, long FreedBytes);

/// <summary>
/// Removes what uploads and deletions leave behind: expired uncommitted uploads with their staged bytes, staging folders
/// without an upload, temporaries of puts that never finished, and blobs no version, open upload or live version's thumbnail references once
/// they are older than the grace period (docs/adr/008-blob-deletion-is-deferred-to-the-cleanup-job.md).
/// </summary>
public sealed partial class CleanUpStorageJob(
    IPortalDbContextFactory dbFactory,
    IBlobStore blobs,
    IUploadStaging staging,
    TimeProvider time,
    IOptions<ArtifactOptions> options,
    ILogger<CleanUpStorageJob> logger)
{
    private const int BatchSize = 500;

    public async Task<StorageCleanup> RunAsync(CancellationToken cancellationToken)
    {
        var expired = await RemoveExpiredUploadsAsync(cancellationToken).ConfigureAwait(false);
        var orphaned = await RemoveOrphanedStagingAsync(cancellationToken).ConfigureAwait(false);
        var temporaries = 0;
        await foreach (var temporary in blobs.ListAbandonedTemporaryAsync(options.Value.UnreferencedBlobGracePeriod, cancellationToken).ConfigureAwait(false))
        {
            if (await blobs.DeleteTemporaryAsync(temporary.Name, cancellationToken).ConfigureAwait(false))
            {
                temporaries++;
            }
        }

        var (unreferenced, freed) = await RemoveUnreferencedBlobsAsync(cancellationToken).ConfigureAwait(false);
        var result = new StorageCleanup(expired, orphaned, temporaries, unreferenced, freed);
        LogCleanedUp(result.ExpiredUploads, result.OrphanedStagingFolders, result.AbandonedTemporaries, result.UnreferencedBlobs, result.FreedBytes);
        return result;
    }

    private async Task<int> RemoveExpiredUploadsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var expired = await db.ArtifactUploads.Include(u => u.Files)
            .Where(u => u.CommittedVersionNumber == null && u.ExpiresAt < now)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var upload in expired)
        {
            // The row goes first: without it no chunk can be written into the folder deleted next.
            db.ArtifactUploads.Remove(upload);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await staging.DeleteAsync(upload.Id, cancellationToken).ConfigureAwait(false);
        }

        return expired.Count;
    }

    /// <summary>Folders of uploads that were committed, cancelled or removed while a node was down.</summary>
    private async Task<int> RemoveOrphanedStagingAsync(CancellationToken cancellationToken)
    {
        var staged = new List<Guid>();
        await foreach (var id in staging.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            staged.Add(id);
        }

        var removed = 0;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var batch in staged.Chunk(BatchSize))
        {
            // An upload's row is saved before anything is staged for it, so a folder without an open upload is garbage.
            var open = await db.ArtifactUploads.AsNoTracking()
                .Where(u => batch.Contains(u.Id) && u.CommittedVersionNumber == null)
                .Select(u => u.Id)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var id in batch.Except(open))
            {
                await staging.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    private async Task<(int Count, long Bytes)> RemoveUnreferencedBlobsAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.UnreferencedBlobGracePeriod;
        var candidates = new List<BlobInfo>();
        var count = 0;
        long bytes = 0;
        await foreach (var blob in blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            // Younger blobs may belong to a put whose upload row is not saved yet.
            if (blob.LastModified > cutoff)
            {
                continue;
            }

            candidates.Add(blob);
            if (candidates.Count == BatchSize)
            {
                var (c, b) = await DeleteUnreferencedAsync(candidates, cancellationToken).ConfigureAwait(false);
                (count, bytes, candidates) = (count + c, bytes + b, []);
            }
        }

        var (lastCount, lastBytes) = await DeleteUnreferencedAsync(candidates, cancellationToken).ConfigureAwait(false);
        return (count + lastCount, bytes + lastBytes);
    }

    private async Task<(int Count, long Bytes)> DeleteUnreferencedAsync(List<BlobInfo> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return (0, 0);
        }

        var hashes = candidates.Select(b => b.Sha256).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One statement, so a commit that moves a hash from its upload to a version is seen on one side or the other.
        var referenced = await db.ArtifactFiles.AsNoTracking()
            .Where(f => hashes.Contains(f.Sha256))
            .Select(f => f.Sha256)
            .Union(db.ArtifactUploads.AsNoTracking()
                .Where(u => u.CommittedVersionNumber == null)
                .SelectMany(u => u.Files)
                .Where(f => f.Sha256 != null && hashes.Contains(f.Sha256))
                .Select(f => f.Sha256!))
            .Union(db.VersionThumbnails.AsNoTracking()
                .Where(t => hashes.Contains(t.Sha256) && db.ArtifactVersions.Any(v => v.Id == t.VersionId && v.DeletedAt == null))
                .Select(t => t.Sha256))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var keep = referenced.ToHashSet(StringComparer.Ordinal);
        var count = 0;
        long bytes = 0;
        foreach (var blob in candidates.Where(b => !keep.Contains(b.Sha256)))
        {
            if (await blobs.DeleteAsync(blob.Sha256, cancellationToken).ConfigureAwait(false))
            {
                count++;
                bytes += blob.Length;
            }
        }

        // A damage report about content that is gone would wrongly flag a fresh upload of the same bytes.
        var deleted = candidates.Where(b => !keep.Contains(b.Sha256)).Select(b => b.Sha256).ToList();
        await db.DamagedBlobs.Where(d => deleted.Contains(d.Sha256)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return (count, bytes);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Storage clean-up: {Uploads} expired uploads, {Folders} orphaned staging folders, {Temporaries} abandoned temporaries, {Blobs} unreferenced blobs ({Bytes} bytes).")]
    private partial void LogCleanedUp(int uploads, int folders, int temporaries, int blobs, long bytes);
}
