using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>
/// Staged uploads of new versions: begin (declare the files) → PUT each file, whole or in chunks, re-sendable → commit.
/// Files are durable in the blob store before they count as complete, and a version exists only after the commit's
/// database transaction, so a client or server killed halfway leaves nothing visible.
/// </summary>
public sealed class UploadService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    ArtifactService artifacts,
    IBlobStore blobs,
    IUploadStaging staging,
    AuditLog audit,
    TimeProvider time,
    IOptions<ArtifactOptions> options,
    IEnumerable<IVersionCommittedHandler> committedHandlers,
    PortalTelemetry telemetry)
{
    private const int CommitAttempts = 5;

    public async Task<UploadStatus> BeginAsync(ClaimsPrincipal user, string slug, string name, BeginUpload request, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        var limits = options.Value;
        var files = request.Files ?? [];
        if (files.Count == 0)
        {
            throw new PortalRequestException("A version needs at least one file.");
        }

        if (files.Count > limits.MaxFilesPerVersion)
        {
            throw new PortalRequestException($"A version has at most {limits.MaxFilesPerVersion} files; this one has {files.Count}.");
        }

        var pathErrors = ArtifactFilePath.Errors(files.Select(f => f.Path));
        if (pathErrors.Count > 0)
        {
            throw new PortalRequestException(string.Join(" ", pathErrors.Take(5)) + (pathErrors.Count > 5 ? $" (and {pathErrors.Count - 5} more)" : ""));
        }

        foreach (var file in files)
        {
            if (file.Size < 0)
            {
                throw new PortalRequestException($"{ArtifactFilePath.Describe(file.Path)}: the size cannot be negative.");
            }

            if (file.Size > limits.MaxFileSizeBytes)
            {
                throw new BlobTooLargeException(limits.MaxFileSizeBytes,
                    $"{ArtifactFilePath.Describe(file.Path)} is {ByteSize.Format(file.Size)}; files may be at most {ByteSize.Format(limits.MaxFileSizeBytes)} "
                    + "(Artifacts:MaxFileSizeBytes). Nothing was stored.");
            }

            if (file.Sha256 is not null && !BlobHash.IsValid(file.Sha256.ToLowerInvariant()))
            {
                throw new PortalRequestException($"{ArtifactFilePath.Describe(file.Path)}: '{file.Sha256}' is not a hex SHA-256.");
            }

            if (file.Size == 0 && file.Sha256 is { } hash && !string.Equals(hash, BlobHash.Empty, StringComparison.OrdinalIgnoreCase))
            {
                throw new PortalRequestException($"{ArtifactFilePath.Describe(file.Path)}: an empty file's SHA-256 is {BlobHash.Empty}.");
            }
        }

        var (metadata, metadataError) = ArtifactMetadata.Serialize(request.Metadata);
        if (metadataError is not null)
        {
            throw new PortalRequestException(metadataError);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (request.RunId is { } runId)
        {
            await RunService.DemandRunningInProjectAsync(db, runId, access.ProjectId, cancellationToken).ConfigureAwait(false);
        }

        await DemandQuotaAsync(db, access.ProjectId, files.Sum(f => f.Size), cancellationToken).ConfigureAwait(false);
        if (files.Any(f => f.Size == 0))
        {
            // Empty files are complete from the start; the store needs the empty blob once.
            await blobs.PutAsync(Stream.Null, BlobHash.Empty, 0, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var upload = new ArtifactUpload
        {
            Id = Guid.NewGuid(),
            ProjectId = access.ProjectId,
            ArtifactId = artifact.Id,
            CreatedByUserId = user.UserId()!,
            CreatedAt = now,
            ExpiresAt = now + limits.UploadLifetime,
            MetadataJson = metadata!,
            ProducedByRunId = request.RunId,
            Files = [.. files.Select((f, i) => new ArtifactUploadFile
            {
                Index = i,
                Path = f.Path,
                Size = f.Size,
                ExpectedSha256 = f.Sha256?.ToLowerInvariant(),
                Received = 0,
                Sha256 = f.Size == 0 ? BlobHash.Empty : null,
            })],
        };
        db.ArtifactUploads.Add(upload);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ToStatus(upload, access.Slug, artifact.Name);
    }

    public async Task<UploadStatus> GetAsync(ClaimsPrincipal user, Guid uploadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (upload, slug, name) = await LoadAsync(db, user, uploadId, forWriting: false, cancellationToken).ConfigureAwait(false);
        return ToStatus(upload, slug, name);
    }

    /// <summary>Streams a whole file into the blob store; sending a file again replaces what was received before.</summary>
    public async Task<UploadFileStatus> PutFileAsync(
        ClaimsPrincipal user, Guid uploadId, int index, Stream content, string? sha256, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (upload, _, _) = await LoadAsync(db, user, uploadId, forWriting: true, cancellationToken).ConfigureAwait(false);
        var file = FileAt(upload, index);
        var expected = ExpectedHash(file, sha256);
        StoredBlob stored;
        try
        {
            stored = await blobs.PutAsync(content, expected, file.Size, cancellationToken).ConfigureAwait(false);
            telemetry.RecordUpload(stored.Length, "file");
        }
        catch (BlobTooLargeException)
        {
            throw new PortalRequestException($"{ArtifactFilePath.Describe(file.Path)}: more than the {file.Size} bytes declared; nothing was kept.");
        }

        if (stored.Length != file.Size)
        {
            throw new PortalRequestException(
                $"{ArtifactFilePath.Describe(file.Path)}: received {stored.Length} bytes but {file.Size} were declared; send the whole file again.");
        }

        await staging.DeleteFileAsync(upload.Id, index, cancellationToken).ConfigureAwait(false);
        file.Received = file.Size;
        file.Sha256 = stored.Sha256;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ToStatus(file);
    }

    /// <summary>
    /// Stores one chunk. Chunks extend the received prefix of the file (a chunk may overlap or repeat what was received,
    /// never leave a gap); the last one moves the assembled file into the blob store.
    /// </summary>
    public async Task<UploadFileStatus> PutChunkAsync(
        ClaimsPrincipal user, Guid uploadId, int index, Stream content, ChunkRange range, string? sha256, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (upload, _, _) = await LoadAsync(db, user, uploadId, forWriting: true, cancellationToken).ConfigureAwait(false);
        var file = FileAt(upload, index);
        if (range.Total != file.Size || range.Start < 0 || range.End < range.Start || range.End >= file.Size)
        {
            throw new PortalRequestException(
                $"{ArtifactFilePath.Describe(file.Path)}: bytes {range.Start}-{range.End}/{range.Total} do not fit a file of {file.Size} bytes.");
        }

        if (range.Start > file.Received)
        {
            throw new PortalConflictException(
                $"{ArtifactFilePath.Describe(file.Path)}: {file.Received} bytes were received so far; send the chunk starting at byte {file.Received}.");
        }

        var expected = ExpectedHash(file, sha256);
        if (file.Sha256 is null && await staging.StagedLengthAsync(upload.Id, index, cancellationToken).ConfigureAwait(false) is var staged
            && range.Start > staged)
        {
            // Earlier chunks were staged on another node (a load balancer moved the client, or that node died): this node
            // continues from what it holds itself, never from a gap that would assemble a corrupt file.
            file.Received = staged;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            throw new PortalConflictException(
                $"{ArtifactFilePath.Describe(file.Path)}: this server holds the first {staged} bytes (earlier chunks went to another server); "
                + $"send the chunk starting at byte {staged}.");
        }

        await staging.WriteAsync(upload.Id, index, range.Start, content, range.Length, cancellationToken).ConfigureAwait(false);
        telemetry.RecordUpload(range.Length, "chunk");
        file.Received = Math.Max(file.Received, range.End + 1);
        if (file.Received == file.Size)
        {
            try
            {
                var assembled = await staging.OpenReadAsync(upload.Id, index, cancellationToken).ConfigureAwait(false);
                await using (assembled.ConfigureAwait(false))
                {
                    file.Sha256 = (await blobs.PutAsync(assembled, expected, file.Size, cancellationToken).ConfigureAwait(false)).Sha256;
                }
            }
            catch (BlobHashMismatchException)
            {
                // The assembled bytes are wrong somewhere: start this file over rather than keep a bad prefix.
                file.Received = 0;
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                await staging.DeleteFileAsync(upload.Id, index, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await staging.DeleteFileAsync(upload.Id, index, cancellationToken).ConfigureAwait(false);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ToStatus(file);
    }

    /// <summary>Turns a complete upload into the next version of its artifact, in one database transaction.</summary>
    public async Task<ArtifactVersionDetails> CommitAsync(ClaimsPrincipal user, Guid uploadId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var (upload, slug, _) = await LoadAsync(db, user, uploadId, forWriting: true, cancellationToken).ConfigureAwait(false);
            var incomplete = upload.Files.Where(f => f.Sha256 is null).OrderBy(f => f.Index).ToList();
            if (incomplete.Count > 0)
            {
                throw new PortalRequestException(
                    $"{incomplete.Count} of {upload.Files.Count} files are not complete yet: "
                    + string.Join(", ", incomplete.Take(5).Select(f => ArtifactFilePath.Describe(f.Path))) + ".");
            }

            await DemandBlobsAsync(db, upload, cancellationToken).ConfigureAwait(false);
            await DemandQuotaAsync(db, upload.ProjectId, await NewBytesAsync(db, upload, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);

            var artifact = await db.Artifacts.FirstAsync(a => a.Id == upload.ArtifactId, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var version = new ArtifactVersion
            {
                Id = Guid.CreateVersion7(now),
                ArtifactId = artifact.Id,
                Number = artifact.LastVersionNumber + 1,
                CreatedAt = now,
                CreatedByUserId = upload.CreatedByUserId,
                MetadataJson = upload.MetadataJson,
                ProducedByRunId = upload.ProducedByRunId,
                FileCount = upload.Files.Count,
                TotalSize = upload.Files.Sum(f => f.Size),
                Files = [.. upload.Files.Select(f => new ArtifactFile { Path = f.Path, Size = f.Size, Sha256 = f.Sha256!, MediaType = MediaTypes.For(f.Path) })],
            };
            db.ArtifactVersions.Add(version);
            artifact.LastVersionNumber = version.Number;
            artifact.VersionCount++;
            artifact.LatestVersionSize = version.TotalSize;
            artifact.UpdatedAt = now;
            artifact.ConcurrencyStamp = Guid.NewGuid();
            var latest = await db.ArtifactAliases.FirstOrDefaultAsync(a => a.ArtifactId == artifact.Id && a.Name == ArtifactNames.Latest, cancellationToken)
                .ConfigureAwait(false);
            if (latest is null)
            {
                db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifact.Id, Name = ArtifactNames.Latest, VersionId = version.Id, UpdatedAt = now });
            }
            else
            {
                latest.VersionId = version.Id;
                latest.UpdatedAt = now;
                latest.UpdatedByUserId = null;
            }

            upload.CommittedVersionNumber = version.Number;
            audit.Record(db, user, AuditActions.ArtifactVersionCreated, upload.ProjectId, $"{artifact.Name}:v{version.Number}",
                $"{version.FileCount} files, {version.TotalSize} bytes");
            await ArtifactService.TouchProjectAsync(db, upload.ProjectId, now, cancellationToken).ConfigureAwait(false);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < CommitAttempts)
            {
                // Another commit took this version number first (concurrency stamp or unique index): take the next one.
                continue;
            }

            await staging.DeleteAsync(upload.Id, CancellationToken.None).ConfigureAwait(false);
            await NotifyCommittedAsync(version.Id).ConfigureAwait(false);
            return await artifacts.DetailsAsync(db, slug, artifact, version, aliases: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The version exists whatever a handler does (analysis jobs failing to queue show on the version page).</summary>
    private async Task NotifyCommittedAsync(Guid versionId)
    {
        foreach (var handler in committedHandlers)
        {
            await handler.OnCommittedAsync(versionId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task CancelAsync(ClaimsPrincipal user, Guid uploadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (upload, _, _) = await LoadAsync(db, user, uploadId, forWriting: true, cancellationToken).ConfigureAwait(false);
        db.ArtifactUploads.Remove(upload);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await staging.DeleteAsync(upload.Id, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The upload with its files, tracked; only its creator (or an administrator) may see or change it.</summary>
    private async Task<(ArtifactUpload Upload, string Slug, string ArtifactName)> LoadAsync(
        IPortalDbContext db, ClaimsPrincipal user, Guid uploadId, bool forWriting, CancellationToken cancellationToken)
    {
        var upload = await db.ArtifactUploads.Include(u => u.Files).FirstOrDefaultAsync(u => u.Id == uploadId, cancellationToken).ConfigureAwait(false);
        var place = upload is null ? null : await db.Projects.AsNoTracking().Where(p => p.Id == upload.ProjectId)
            .Select(p => new { p.Slug, Artifact = db.Artifacts.Where(a => a.Id == upload.ArtifactId).Select(a => a.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (upload is null || place?.Artifact is null || (upload.CreatedByUserId != user.UserId() && !user.IsSiteAdministrator()))
        {
            throw new PortalNotFoundException($"There is no upload {uploadId} of yours.");
        }

        await projects.DemandAsync(user, place.Slug, forWriting ? ProjectOperation.UploadArtifacts : ProjectOperation.View, cancellationToken)
            .ConfigureAwait(false);
        if (forWriting && upload.CommittedVersionNumber is { } committed)
        {
            throw new PortalConflictException($"This upload was already committed as v{committed}; begin a new upload for another version.");
        }

        if (forWriting && upload.ExpiresAt < time.GetUtcNow())
        {
            throw new PortalConflictException("This upload has expired; begin a new one.");
        }

        return (upload, place.Slug, place.Artifact);
    }

    private static ArtifactUploadFile FileAt(ArtifactUpload upload, int index) =>
        upload.Files.FirstOrDefault(f => f.Index == index) ?? throw new PortalNotFoundException($"The upload has no file number {index}.");

    private static string? ExpectedHash(ArtifactUploadFile file, string? sha256)
    {
        var sent = sha256 is null ? null : BlobHash.Normalize(sha256);
        if (sent is not null && file.ExpectedSha256 is not null && sent != file.ExpectedSha256)
        {
            throw new PortalRequestException($"{ArtifactFilePath.Describe(file.Path)}: the SHA-256 sent now differs from the one declared at the start.");
        }

        return sent ?? file.ExpectedSha256;
    }

    /// <summary>A blob can vanish between PUT and commit (the cleanup job, an operator): such files must be sent again.</summary>
    private async Task DemandBlobsAsync(IPortalDbContext db, ArtifactUpload upload, CancellationToken cancellationToken)
    {
        var missing = new List<ArtifactUploadFile>();
        foreach (var group in upload.Files.GroupBy(f => f.Sha256!))
        {
            if (!await blobs.ExistsAsync(group.Key, cancellationToken).ConfigureAwait(false))
            {
                missing.AddRange(group);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        foreach (var file in missing)
        {
            file.Received = 0;
            file.Sha256 = null;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        throw new PortalRequestException(
            $"Send these files again, their stored copy is gone: {string.Join(", ", missing.Take(5).Select(f => ArtifactFilePath.Describe(f.Path)))}.");
    }

    /// <summary>Bytes the commit adds to the project: blobs the project does not reference yet.</summary>
    private static async Task<long> NewBytesAsync(IPortalDbContext db, ArtifactUpload upload, CancellationToken cancellationToken)
    {
        var hashes = upload.Files.Select(f => f.Sha256!).Distinct().ToList();
        var present = await db.ArtifactFiles.AsNoTracking()
            .Where(f => hashes.Contains(f.Sha256) && db.ArtifactVersions.Any(v => v.Id == f.VersionId && v.DeletedAt == null
                && db.Artifacts.Any(a => a.Id == v.ArtifactId && a.ProjectId == upload.ProjectId)))
            .Select(f => f.Sha256)
            .Distinct()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return upload.Files.Where(f => !present.Contains(f.Sha256!)).DistinctBy(f => f.Sha256).Sum(f => f.Size);
    }

    private async Task DemandQuotaAsync(IPortalDbContext db, Guid projectId, long addedBytes, CancellationToken cancellationToken)
    {
        if (await artifacts.QuotaAsync(db, projectId, cancellationToken).ConfigureAwait(false) is not { } quota)
        {
            return;
        }

        var used = await ArtifactService.UsedBytesAsync(db, projectId, cancellationToken).ConfigureAwait(false);
        if (used + addedBytes > quota)
        {
            throw new StorageQuotaExceededException(
                $"The project's storage quota is {ByteSize.Format(quota)}; {ByteSize.Format(used)} are used and this version adds {ByteSize.Format(addedBytes)}. "
                + "Delete old versions or ask an administrator for a larger quota.");
        }
    }

    private static UploadStatus ToStatus(ArtifactUpload upload, string slug, string artifactName) =>
        new(upload.Id, slug, artifactName, upload.ExpiresAt, upload.CommittedVersionNumber, [.. upload.Files.OrderBy(f => f.Index).Select(ToStatus)]);

    private static UploadFileStatus ToStatus(ArtifactUploadFile f) => new(f.Index, f.Path, f.Size, f.Received, f.Sha256 is not null, f.Sha256);
}
