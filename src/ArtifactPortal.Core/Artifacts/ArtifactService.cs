using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>Artifacts, their versions and aliases. Every method checks the caller's project permissions itself.</summary>
public sealed class ArtifactService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time,
    IOptions<ArtifactOptions> options)
{
    public const int MaxPageSize = 500;

    public async Task<Result<ArtifactSummary>> CreateAsync(ClaimsPrincipal user, string slug, NewArtifact request, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        var name = request.Name?.Trim() ?? "";
        var tags = NormalizeTags(request.Tags);
        var description = request.Description?.Trim() ?? "";
        var errors = new Dictionary<string, string>();
        AddError(errors, nameof(NewArtifact.Name), ArtifactNames.NameError(name));
        AddError(errors, nameof(NewArtifact.Tags), TagsError(tags));
        AddError(errors, nameof(NewArtifact.Description), DescriptionError(description));
        if (!Enum.IsDefined(request.Type))
        {
            errors[nameof(NewArtifact.Type)] = "Choose a type.";
        }

        if (errors.Count > 0)
        {
            return Result.Invalid<ArtifactSummary>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var artifact = new Artifact
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = access.ProjectId,
            Name = name,
            NormalizedName = name.ToLowerInvariant(),
            Type = request.Type,
            Description = description,
            CreatedAt = now,
            CreatedByUserId = user.UserId()!,
            UpdatedAt = now,
            ConcurrencyStamp = Guid.NewGuid(),
            Tags = [.. tags.Select(t => new ArtifactTag { Tag = t })],
        };
        if (await NameTakenAsync(db, access.ProjectId, artifact.NormalizedName, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<ArtifactSummary>(nameof(NewArtifact.Name), NameTaken(name));
        }

        db.Artifacts.Add(artifact);
        audit.Record(db, user, AuditActions.ArtifactCreated, access.ProjectId, name, artifact.Type.ToString());
        await TouchProjectAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another request created the same name between the check and the insert: the unique index decided.
            return Result.Invalid<ArtifactSummary>(nameof(NewArtifact.Name), NameTaken(name));
        }

        return Result.Success(ToSummary(artifact, tags));
    }

    public async Task<Result<ArtifactSummary>> UpdateAsync(
        ClaimsPrincipal user, string slug, string name, ArtifactChanges changes, CancellationToken cancellationToken = default)
    {
        var tags = NormalizeTags(changes.Tags);
        var description = changes.Description?.Trim() ?? "";
        var errors = new Dictionary<string, string>();
        AddError(errors, nameof(ArtifactChanges.Tags), TagsError(tags));
        AddError(errors, nameof(ArtifactChanges.Description), DescriptionError(description));
        var (access, _) = await LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return Result.Invalid<ArtifactSummary>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = name.ToLowerInvariant();
        var artifact = await db.Artifacts.Include(a => a.Tags)
            .FirstAsync(a => a.ProjectId == access.ProjectId && a.NormalizedName == normalized, cancellationToken)
            .ConfigureAwait(false);
        artifact.Description = description;
        artifact.Tags.RemoveAll(t => !tags.Contains(t.Tag));
        artifact.Tags.AddRange(tags.Where(t => artifact.Tags.All(existing => existing.Tag != t)).Select(t => new ArtifactTag { Tag = t }));
        artifact.UpdatedAt = time.GetUtcNow();
        audit.Record(db, user, AuditActions.ArtifactEdited, access.ProjectId, artifact.Name, $"tags: {string.Join(", ", tags)}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(ToSummary(artifact, tags));
    }

    public async Task<PagedList<ArtifactSummary>> ListAsync(ClaimsPrincipal user, string slug, ArtifactQuery query, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListAsync(access, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The artifacts for a caller whose access the page already looked up.</summary>
    public async Task<PagedList<ArtifactSummary>> ListAsync(ProjectAccess access, ArtifactQuery query, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var artifacts = db.Artifacts.AsNoTracking().Where(a => a.ProjectId == access.ProjectId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim().ToLowerInvariant();
            artifacts = artifacts.Where(a => a.NormalizedName.Contains(text) || a.Tags.Any(t => t.Tag == text));
        }

        if (query.Type is { } type)
        {
            artifacts = artifacts.Where(a => a.Type == type);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            artifacts = artifacts.Where(a => a.Tags.Any(t => t.Tag == tag));
        }

        var sorted = query.Sort switch
        {
            ArtifactSort.Name => artifacts.OrderBy(a => a.NormalizedName),
            ArtifactSort.Size => artifacts.OrderByDescending(a => a.LatestVersionSize).ThenBy(a => a.NormalizedName),
            _ => artifacts.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.NormalizedName),
        };
        var (skip, take) = Paging.Window(query.Page, query.PageSize, MaxPageSize);
        var page = await sorted.Skip(skip).Take(take)
            .Select(a => new { Artifact = a, Tags = a.Tags.Select(t => t.Tag).ToList() })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var total = await Paging.TotalAsync(artifacts, skip, take, page.Count, cancellationToken).ConfigureAwait(false);
        return new PagedList<ArtifactSummary>([.. page.Select(p => ToSummary(p.Artifact, [.. p.Tags.Order(StringComparer.Ordinal)]))], total);
    }

    public async Task<ArtifactDetails> GetAsync(ClaimsPrincipal user, string slug, string name, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await GetAsync(access, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The artifact for a caller whose access the page already looked up.</summary>
    public async Task<ArtifactDetails> GetAsync(ProjectAccess access, string name, CancellationToken cancellationToken = default)
    {
        var artifact = await LocateAsync(access, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var tags = await db.ArtifactTags.AsNoTracking().Where(t => t.ArtifactId == artifact.Id).Select(t => t.Tag)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var aliases = await db.ArtifactAliases.AsNoTracking()
            .Where(a => a.ArtifactId == artifact.Id)
            .Join(db.ArtifactVersions, a => a.VersionId, v => v.Id, (a, v) => new { a.Name, v.Number })
            .ToDictionaryAsync(a => a.Name, a => a.Number, cancellationToken)
            .ConfigureAwait(false);
        var creator = await users.FindActiveAsync(artifact.CreatedByUserId, cancellationToken).ConfigureAwait(false);
        return new ArtifactDetails(ToSummary(artifact, [.. tags.Order(StringComparer.Ordinal)]), access.Slug, creator?.UserName ?? "former member", aliases);
    }

    /// <summary>Versions newest first, deleted ones included (they keep their place in the history).</summary>
    public async Task<ArtifactVersionListing> ListVersionsAsync(
        ClaimsPrincipal user, string slug, string name, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListVersionsAsync(access, name, page, pageSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The versions for a caller whose access the page already looked up.</summary>
    public async Task<ArtifactVersionListing> ListVersionsAsync(
        ProjectAccess access, string name, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        var artifact = await LocateAsync(access, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // Versions are numbered 1, 2, 3… and never removed (a deleted one keeps its row): the artifact's last number is the
        // count, and a page is a range of numbers the unique (ArtifactId, Number) index seeks to, however deep the page.
        var total = artifact.LastVersionNumber;
        var (skip, take) = Paging.Window(page, pageSize, MaxPageSize);
        var (newest, oldest) = (total - skip, total - skip - take);
        var rows = await db.ArtifactVersions.AsNoTracking()
            .Where(v => v.ArtifactId == artifact.Id && v.Number <= newest && v.Number > oldest)
            .OrderByDescending(v => v.Number)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = rows.Select(v => v.Id).ToList();
        var aliases = await db.ArtifactAliases.AsNoTracking().Where(a => a.ArtifactId == artifact.Id && ids.Contains(a.VersionId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await UserNamesAsync(rows.SelectMany(v => new[] { v.CreatedByUserId, v.DeletedByUserId }), cancellationToken).ConfigureAwait(false);
        return new ArtifactVersionListing(access.Slug, artifact.Name, new PagedList<ArtifactVersionSummary>(
            [.. rows.Select(v => ToVersionSummary(v, aliases.Where(a => a.VersionId == v.Id).Select(a => a.Name), names))], total));
    }

    /// <param name="reference"><c>v3</c>, <c>3</c> or an alias such as <c>latest</c>.</param>
    public async Task<ArtifactVersionDetails> GetVersionAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await GetVersionAsync(access, name, reference, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The artifact by name with its version by number (null when there is none) and the version's aliases, in one round
    /// trip. Every version page starts here, so it is compiled like <see cref="FilesOf"/>; as LINQ it rebuilt the join around
    /// a local query per call.
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, Guid, string, int, CancellationToken, Task<ArtifactWithVersion?>>> ArtifactWithVersionNumber = new(() =>
        EF.CompileAsyncQuery((DbContext db, Guid projectId, string normalizedName, int number, CancellationToken cancellationToken) => (
                from a in db.Set<Artifact>().AsNoTracking().Where(a => a.ProjectId == projectId && a.NormalizedName == normalizedName)
                join v in db.Set<ArtifactVersion>().Where(v => v.Number == number) on a.Id equals v.ArtifactId into matching
                from v in matching.DefaultIfEmpty()
                select new ArtifactWithVersion(a, v, db.Set<ArtifactAlias>().Where(x => x.VersionId == v.Id).Select(x => x.Name).ToList()))
            .FirstOrDefault()));

    /// <summary>Like <see cref="ArtifactWithVersionNumber"/>, by alias; the alias rule is <see cref="FindVersionAsync"/>'s, a change there belongs here too.</summary>
    private static readonly CompiledQuery<Func<DbContext, Guid, string, string, CancellationToken, Task<ArtifactWithVersion?>>> ArtifactWithVersionAlias = new(() =>
        EF.CompileAsyncQuery((DbContext db, Guid projectId, string normalizedName, string alias, CancellationToken cancellationToken) => (
                from a in db.Set<Artifact>().AsNoTracking().Where(a => a.ProjectId == projectId && a.NormalizedName == normalizedName)
                join v in db.Set<ArtifactVersion>().Where(v => db.Set<ArtifactAlias>().Any(x => x.ArtifactId == v.ArtifactId && x.Name == alias && x.VersionId == v.Id))
                    on a.Id equals v.ArtifactId into matching
                from v in matching.DefaultIfEmpty()
                select new ArtifactWithVersion(a, v, db.Set<ArtifactAlias>().Where(x => x.VersionId == v.Id).Select(x => x.Name).ToList()))
            .FirstOrDefault()));

    private sealed record ArtifactWithVersion(Artifact Artifact, ArtifactVersion? Version, List<string> Aliases);

    /// <summary>The version for a caller whose access the page already looked up: the artifact and version in one query.</summary>
    public async Task<ArtifactVersionDetails> GetVersionAsync(ProjectAccess access, string name, string reference, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = name.ToLowerInvariant();
        var found = await (ArtifactNames.ParseVersionNumber(reference) is { } number
                ? ArtifactWithVersionNumber.For(db)((DbContext)db, access.ProjectId, normalized, number, cancellationToken)
                : ArtifactWithVersionAlias.For(db)((DbContext)db, access.ProjectId, normalized, reference, cancellationToken)).ConfigureAwait(false)
            ?? throw new PortalNotFoundException($"There is no artifact '{name}' in {access.Slug}.");
        var version = found.Version ?? throw new PortalNotFoundException($"{found.Artifact.Name} has no version '{reference}'.");
        return await DetailsAsync(db, access.Slug, found.Artifact, version, found.Aliases, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One file of a version and the version's creation time, read without loading the version's other files: downloads
    /// and views ask for one file per request, and a version may hold thousands.
    /// </summary>
    public async Task<(ArtifactFileEntry File, DateTimeOffset VersionCreatedAt)> GetFileAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string path, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await LocateAsync(user, slug, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        var file = await db.ArtifactFiles.AsNoTracking()
            .Where(f => f.VersionId == version.Id && f.Path == path)
            .Select(f => new ArtifactFileEntry(f.Path, f.Size, f.Sha256, f.MediaType))
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false)
            ?? throw new PortalNotFoundException(
                $"{ArtifactReference.For(access.Slug, artifact.Name, version.Number)} has no file {ArtifactFilePath.Describe(path)}.");
        return (file, version.CreatedAt);
    }

    /// <summary>Resolves <c>project/artifact:ref</c>; anything the caller cannot see is "not found".</summary>
    public async Task<ArtifactVersionDetails> ResolveAsync(ClaimsPrincipal user, string identifier, CancellationToken cancellationToken = default)
    {
        if (!ArtifactReference.TryParse(identifier, out var reference))
        {
            throw new PortalRequestException($"'{identifier}' is not an identifier like project/artifact:v3 or project/artifact:latest.");
        }

        return await GetVersionAsync(user, reference.ProjectSlug, reference.ArtifactName, reference.Version, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ArtifactVersionComparison> CompareAsync(
        ProjectAccess access, string name, string fromReference, string toReference, CancellationToken cancellationToken = default)
    {
        var from = await GetVersionAsync(access, name, fromReference, cancellationToken).ConfigureAwait(false);
        var to = await GetVersionAsync(access, name, toReference, cancellationToken).ConfigureAwait(false);
        var before = from.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var after = to.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var changed = after.Values.Where(f => before.TryGetValue(f.Path, out var old) && old.Sha256 != f.Sha256)
            .Select(f => (before[f.Path], f)).ToList();
        var metadata = from.Metadata.Keys.Union(to.Metadata.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k => new MetadataDifference(k, Raw(from.Metadata, k), Raw(to.Metadata, k)))
            .Where(d => d.From != d.To)
            .ToList();
        return new ArtifactVersionComparison(
            from,
            to,
            [.. after.Values.Where(f => !before.ContainsKey(f.Path))],
            [.. before.Values.Where(f => !after.ContainsKey(f.Path))],
            changed,
            after.Values.Count(f => before.TryGetValue(f.Path, out var old) && old.Sha256 == f.Sha256),
            metadata);

        static string? Raw(IReadOnlyDictionary<string, JsonElement> metadata, string key) =>
            metadata.TryGetValue(key, out var value) ? value.GetRawText() : null;
    }

    /// <summary>Points <paramref name="alias"/> at a live version, moving it when it pointed elsewhere; the move is audited.</summary>
    public async Task<Result<int>> SetAliasAsync(
        ClaimsPrincipal user, string slug, string name, string alias, int versionNumber, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        alias = alias?.Trim() ?? "";
        if (ArtifactNames.AliasError(alias) is { } error)
        {
            return Result.Invalid<int>("Alias", error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await DemandUnprotectedAsync(db, artifact, alias, cancellationToken).ConfigureAwait(false);
        var version = await FindVersionAsync(db, artifact, versionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken)
            .ConfigureAwait(false);
        if (version.DeletedAt is not null)
        {
            return Result.Invalid<int>("Version", $"v{versionNumber} was deleted; an alias cannot point at it.");
        }

        var existing = await db.ArtifactAliases.FirstOrDefaultAsync(a => a.ArtifactId == artifact.Id && a.Name == alias, cancellationToken)
            .ConfigureAwait(false);
        var now = time.GetUtcNow();
        string details;
        if (existing is null)
        {
            db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifact.Id, Name = alias, VersionId = version.Id, UpdatedAt = now, UpdatedByUserId = user.UserId() });
            details = $"set to v{versionNumber}";
        }
        else
        {
            var previous = await db.ArtifactVersions.Where(v => v.Id == existing.VersionId).Select(v => v.Number).FirstAsync(cancellationToken)
                .ConfigureAwait(false);
            existing.VersionId = version.Id;
            existing.UpdatedAt = now;
            existing.UpdatedByUserId = user.UserId();
            details = $"moved from v{previous} to v{versionNumber}";
        }

        audit.Record(db, user, AuditActions.ArtifactAliasSet, access.ProjectId, $"{artifact.Name}:{alias}", details);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return Result.Invalid<int>("Alias", $"Someone else changed '{alias}' at the same time; try again.");
        }

        return Result.Success(versionNumber);
    }

    public async Task RemoveAliasAsync(ClaimsPrincipal user, string slug, string name, string alias, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        if (alias == ArtifactNames.Latest)
        {
            throw new PortalRequestException("'latest' always points at the newest version and cannot be removed.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await DemandUnprotectedAsync(db, artifact, alias, cancellationToken).ConfigureAwait(false);
        var existing = await db.ArtifactAliases.FirstOrDefaultAsync(a => a.ArtifactId == artifact.Id && a.Name == alias, cancellationToken)
            .ConfigureAwait(false) ?? throw new PortalNotFoundException($"{artifact.Name} has no alias '{alias}'.");
        db.ArtifactAliases.Remove(existing);
        audit.Record(db, user, AuditActions.ArtifactAliasRemoved, access.ProjectId, $"{artifact.Name}:{alias}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a version (Maintainer and up) with a reason. Its row stays for the history; its files and aliases go, and
    /// the cleanup job removes blobs no other version references.
    /// </summary>
    public async Task<Result<int>> DeleteVersionAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string reason, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await LocateAsync(user, slug, name, ProjectOperation.DeleteArtifactVersions, cancellationToken).ConfigureAwait(false);
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > 500)
        {
            return Result.Invalid<int>("Reason", "Say why the version is deleted (up to 500 characters).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        var version = await db.ArtifactVersions.Include(v => v.Files).FirstAsync(v => v.Id == found.Id, cancellationToken).ConfigureAwait(false);
        if (version.DeletedAt is not null)
        {
            return Result.Invalid<int>("Version", $"v{version.Number} is already deleted.");
        }

        var held = await db.ArtifactAliases.Where(a => a.VersionId == version.Id).Select(a => a.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var heldAlias in held)
        {
            if (await ProtectedAliases.IsProtectedAsync(db, artifact, heldAlias, cancellationToken).ConfigureAwait(false))
            {
                throw new PortalConflictException($"v{version.Number} holds the protected alias '{heldAlias}'; promote another version first.");
            }
        }

        var tracked = await db.Artifacts.FirstAsync(a => a.Id == artifact.Id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        version.DeletedAt = now;
        version.DeletedByUserId = user.UserId();
        version.DeleteReason = reason;
        version.Files.Clear();
        var aliases = await db.ArtifactAliases.Where(a => a.VersionId == version.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        db.ArtifactAliases.RemoveRange(aliases);
        var newest = await db.ArtifactVersions
            .Where(v => v.ArtifactId == artifact.Id && v.DeletedAt == null && v.Id != version.Id)
            .OrderByDescending(v => v.Number)
            .Select(v => new { v.Id, v.TotalSize })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (newest is not null && aliases.Any(a => a.Name == ArtifactNames.Latest))
        {
            db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifact.Id, Name = ArtifactNames.Latest, VersionId = newest.Id, UpdatedAt = now });
        }

        tracked.VersionCount--;
        tracked.LatestVersionSize = newest?.TotalSize ?? 0;
        tracked.UpdatedAt = now;
        tracked.ConcurrencyStamp = Guid.NewGuid();
        audit.Record(db, user, AuditActions.ArtifactVersionDeleted, access.ProjectId, $"{artifact.Name}:v{version.Number}", reason);
        await TouchProjectAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result.Invalid<int>("Version", "The artifact changed while deleting; reload and try again.");
        }

        return Result.Success(version.Number);
    }

    public async Task<ProjectStorageUsage> GetUsageAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await GetUsageAsync(access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The project's storage use for a caller whose access the page already looked up.</summary>
    public async Task<ProjectStorageUsage> GetUsageAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var used = await UsedBytesAsync(db, access.ProjectId, cancellationToken).ConfigureAwait(false);
        var quota = await QuotaAsync(db, access.ProjectId, cancellationToken).ConfigureAwait(false);
        var counts = await db.Artifacts.AsNoTracking().Where(a => a.ProjectId == access.ProjectId)
            .GroupBy(_ => 1)
            .Select(g => new { Artifacts = g.Count(), Versions = g.Sum(a => a.VersionCount) })
            .SingleOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return new ProjectStorageUsage(used, quota, counts?.Artifacts ?? 0, counts?.Versions ?? 0);
    }

    /// <summary>Bytes of the distinct blobs that live versions in the project reference: a file kept twice counts once.</summary>
    internal static async Task<long> UsedBytesAsync(IPortalDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.ArtifactFiles.AsNoTracking()
            .Where(f => db.ArtifactVersions.Any(v => v.Id == f.VersionId && v.DeletedAt == null
                && db.Artifacts.Any(a => a.Id == v.ArtifactId && a.ProjectId == projectId)))
            .Select(f => new { f.Sha256, f.Size })
            .Distinct()
            .SumAsync(f => f.Size, cancellationToken)
            .ConfigureAwait(false);

    internal async Task<long?> QuotaAsync(IPortalDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => p.StorageQuotaBytes).FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false) ?? options.Value.DefaultProjectQuotaBytes;

    private static async Task DemandUnprotectedAsync(IPortalDbContext db, Artifact artifact, string alias, CancellationToken cancellationToken)
    {
        if (await ProtectedAliases.IsProtectedAsync(db, artifact, alias, cancellationToken).ConfigureAwait(false))
        {
            throw new PortalConflictException(
                $"'{alias}' is a protected alias: it moves only through an approved promotion request (or an Owner's override).");
        }
    }

    /// <summary>The project access and the artifact, or 404 for a name the caller cannot see.</summary>
    internal async Task<(ProjectAccess Access, Artifact Artifact)> LocateAsync(
        ClaimsPrincipal user, string slug, string name, ProjectOperation operation, CancellationToken cancellationToken)
    {
        var access = await projects.DemandAsync(user, slug, operation, cancellationToken).ConfigureAwait(false);
        return (access, await LocateAsync(access, name, operation, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The artifact, or 404 for a name the caller cannot see, for an access already looked up.</summary>
    internal async Task<Artifact> LocateAsync(ProjectAccess access, string name, ProjectOperation operation, CancellationToken cancellationToken)
    {
        access.Demand(operation);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = name.ToLowerInvariant();
        return await db.Artifacts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.ProjectId == access.ProjectId && a.NormalizedName == normalized, cancellationToken)
            .ConfigureAwait(false) ?? throw new PortalNotFoundException($"There is no artifact '{name}' in {access.Slug}.");
    }

    internal static async Task<ArtifactVersion> FindVersionAsync(IPortalDbContext db, Artifact artifact, string reference, CancellationToken cancellationToken)
    {
        var versions = db.ArtifactVersions.AsNoTracking().Where(v => v.ArtifactId == artifact.Id);
        var found = ArtifactNames.ParseVersionNumber(reference) is { } number
            ? await versions.FirstOrDefaultAsync(v => v.Number == number, cancellationToken).ConfigureAwait(false)
            : await versions.Where(v => db.ArtifactAliases.Any(a => a.ArtifactId == artifact.Id && a.Name == reference && a.VersionId == v.Id))
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return found ?? throw new PortalNotFoundException($"{artifact.Name} has no version '{reference}'.");
    }

    /// <summary>
    /// A version's files with their damage marks: one query, and no list of hashes sent back for a version of thousands of
    /// files. Compiled, because every version page and API read runs it: as LINQ it evaluated the captured context per call.
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<FileRow>>> FilesOf = new(() =>
        EF.CompileAsyncQuery((DbContext db, Guid versionId) => db.Set<ArtifactFile>()
            .AsNoTracking()
            .Where(f => f.VersionId == versionId)
            .OrderBy(f => f.Path)
            .Select(f => new FileRow(new ArtifactFileEntry(f.Path, f.Size, f.Sha256, f.MediaType), db.Set<DamagedBlob>().Any(d => d.Sha256 == f.Sha256)))));

    private sealed record FileRow(ArtifactFileEntry File, bool Damaged);

    /// <summary>The names of a version's aliases; compiled like <see cref="FilesOf"/>, which every version read runs with it.</summary>
    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<string>>> AliasesOf = new(() =>
        EF.CompileAsyncQuery((DbContext db, Guid versionId) => db.Set<ArtifactAlias>()
            .AsNoTracking()
            .Where(a => a.VersionId == versionId)
            .Select(a => a.Name)));

    /// <param name="aliases">The version's aliases when the caller read them with the version; null reads them here.</param>
    internal async Task<ArtifactVersionDetails> DetailsAsync(
        IPortalDbContext db, string slug, Artifact artifact, ArtifactVersion version, IReadOnlyList<string>? aliases, CancellationToken cancellationToken)
    {
        var rows = await FilesOf.For(db)((DbContext)db, version.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var files = rows.ConvertAll(r => r.File);
        var damaged = rows.Where(r => r.Damaged).Select(r => r.File.Sha256);
        aliases ??= await AliasesOf.For(db)((DbContext)db, version.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await UserNamesAsync([version.CreatedByUserId, version.DeletedByUserId], cancellationToken).ConfigureAwait(false);
        return new ArtifactVersionDetails(
            slug,
            artifact.Id,
            artifact.Name,
            artifact.Type,
            ToVersionSummary(version, aliases, names),
            ArtifactMetadata.Parse(version.MetadataJson),
            version.ProducedByRunId,
            files,
            damaged.ToHashSet(StringComparer.Ordinal));
    }

    internal static async Task TouchProjectAsync(IPortalDbContext db, Guid projectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var project = await db.Projects.FirstAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false);
        project.LastActivityAt = now;
    }

    private async Task<IReadOnlyDictionary<string, UserSummary>> UserNamesAsync(IEnumerable<string?> userIds, CancellationToken cancellationToken) =>
        await users.GetAsync([.. userIds.OfType<string>().Distinct()], cancellationToken).ConfigureAwait(false);

    private static ArtifactVersionSummary ToVersionSummary(
        ArtifactVersion v, IEnumerable<string> aliases, IReadOnlyDictionary<string, UserSummary> names) =>
        new(
            v.Number,
            v.CreatedAt,
            names.TryGetValue(v.CreatedByUserId, out var creator) ? creator.UserName : "former member",
            v.FileCount,
            v.TotalSize,
            [.. aliases.OrderBy(a => a == ArtifactNames.Latest ? 0 : 1).ThenBy(a => a, StringComparer.Ordinal)],
            v.DeletedAt,
            v.DeletedByUserId is { } id && names.TryGetValue(id, out var deleter) ? deleter.UserName : null,
            v.DeleteReason);

    private static ArtifactSummary ToSummary(Artifact a, IReadOnlyList<string> tags) =>
        new(a.Id, a.Name, a.Type, a.Description, tags, a.VersionCount == 0 ? null : a.LastVersionNumber, a.VersionCount, a.LatestVersionSize, a.CreatedAt, a.UpdatedAt);

    private static async Task<bool> NameTakenAsync(IPortalDbContext db, Guid projectId, string normalizedName, CancellationToken cancellationToken) =>
        await db.Artifacts.AnyAsync(a => a.ProjectId == projectId && a.NormalizedName == normalizedName, cancellationToken).ConfigureAwait(false);

    private static string NameTaken(string name) => $"This project already has an artifact named '{name}'.";

    private static List<string> NormalizeTags(IEnumerable<string>? tags) =>
        [.. (tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string? TagsError(List<string> tags) =>
        tags.Count > ArtifactNames.MaxTags ? $"At most {ArtifactNames.MaxTags} tags." : tags.Select(ArtifactNames.TagError).FirstOrDefault(e => e is not null);

    private static string? DescriptionError(string description) =>
        description.Length > ArtifactNames.MaxDescriptionLength ? $"Descriptions are at most {ArtifactNames.MaxDescriptionLength} characters." : null;

    private static void AddError(Dictionary<string, string> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = error;
        }
    }
}
