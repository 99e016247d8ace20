using System.Security.Cryptography;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>What one run of <see cref="VerifyBlobIntegrityJob"/> found.</summary>
public sealed record BlobIntegrityCheck(int Checked, IReadOnlyList<string> NewlyDamaged);

/// <summary>
/// Re-hashes a random sample of the blobs that versions reference. A blob whose bytes no longer match its name, or that is
/// gone, is recorded once as a <see cref="DamagedBlob"/> (the version page flags its files) with an audit entry per
/// affected version; a blob that matches again (restored from a backup) loses its flag.
/// </summary>
public sealed partial class VerifyBlobIntegrityJob(
    IPortalDbContextFactory dbFactory,
    IBlobStore blobs,
    AuditLog audit,
    TimeProvider time,
    IOptions<ArtifactOptions> options,
    ILogger<VerifyBlobIntegrityJob> logger)
{
    public async Task<BlobIntegrityCheck> RunAsync(CancellationToken cancellationToken)
    {
        List<string> sample;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            sample = await db.ArtifactFiles.AsNoTracking()
                .Select(f => f.Sha256)
                .Distinct()
                .OrderBy(_ => EF.Functions.Random())
                .Take(options.Value.IntegritySampleSize)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        return await VerifyAsync(sample, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the given blobs; the recurring run passes a random sample.</summary>
    public async Task<BlobIntegrityCheck> VerifyAsync(IReadOnlyCollection<string> sha256s, CancellationToken cancellationToken)
    {
        var damaged = new List<string>();
        foreach (var sha256 in sha256s)
        {
            var actual = await HashAsync(sha256, cancellationToken).ConfigureAwait(false);
            if (actual == sha256)
            {
                await ClearAsync(sha256, cancellationToken).ConfigureAwait(false);
            }
            else if (await RecordAsync(sha256, actual, cancellationToken).ConfigureAwait(false))
            {
                damaged.Add(sha256);
            }
        }

        LogVerified(sha256s.Count, damaged.Count);
        return new BlobIntegrityCheck(sha256s.Count, damaged);
    }

    /// <summary>The hash of the stored bytes, or null when the blob is missing.</summary>
    private async Task<string?> HashAsync(string sha256, CancellationToken cancellationToken)
    {
        var content = await blobs.OpenReadAsync(sha256, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        await using (content.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <returns>False when the blob was already recorded as damaged.</returns>
    private async Task<bool> RecordAsync(string sha256, string? actual, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.DamagedBlobs.AnyAsync(d => d.Sha256 == sha256, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.DamagedBlobs.Add(new DamagedBlob { Sha256 = sha256, ActualSha256 = actual, DetectedAt = time.GetUtcNow() });
        var affected = await db.ArtifactFiles.AsNoTracking()
            .Where(f => f.Sha256 == sha256)
            .Join(db.ArtifactVersions, f => f.VersionId, v => v.Id, (f, v) => new { f.Path, v.Number, v.ArtifactId })
            .Join(db.Artifacts, x => x.ArtifactId, a => a.Id, (x, a) => new { x.Path, x.Number, a.ProjectId, a.Name })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var problem = actual is null ? "its stored content is missing" : $"its stored content now hashes to {actual}";
        foreach (var version in affected.GroupBy(x => (x.ProjectId, x.Name, x.Number)))
        {
            var paths = string.Join(", ", version.Select(x => x.Path).Order(StringComparer.Ordinal));
            audit.Record(db, actor: null, AuditActions.BlobDamaged, version.Key.ProjectId, $"{version.Key.Name}:v{version.Key.Number}",
                $"{paths}: blob {sha256} is damaged, {problem}.");
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another node's run recorded it first.
            return false;
        }

        LogDamaged(sha256, actual ?? "missing", affected.Count);
        return true;
    }

    private async Task ClearAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.DamagedBlobs.Where(d => d.Sha256 == sha256).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob integrity: re-hashed {Checked} blobs, {Damaged} newly damaged.")]
    private partial void LogVerified(int @checked, int damaged);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob {Sha256} is damaged ({Actual}); {Files} files reference it.")]
    private partial void LogDamaged(string sha256, string actual, int files);
}
