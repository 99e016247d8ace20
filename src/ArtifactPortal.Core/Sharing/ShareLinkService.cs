using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Sharing;

public sealed record NewShareLink(TimeSpan ValidFor, bool AllowDownload, string? Note = null);

public sealed record ShareLinkSummary(
    Guid Id,
    string Identifier,
    string Note,
    bool AllowDownload,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    int UseCount)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>The link's secret, shown once, and what was stored.</summary>
public sealed record CreatedShareLink(string Secret, ShareLinkSummary Link);

/// <summary>What a person holding a valid share link may see: one version, and its files when downloads are allowed.</summary>
public sealed record SharedVersion(ShareLinkSummary Link, ArtifactVersionDetails Version);

/// <summary>
/// External read-only links to one artifact version (Maintainer and up). Opening one needs no account; an expired,
/// revoked or unknown link reads the same, and the project it comes from is never shown.
/// </summary>
public sealed class ShareLinkService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    ArtifactService artifacts,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxNoteLength = 200;
    public static readonly TimeSpan ShortestValidity = TimeSpan.FromHours(1);
    public static readonly TimeSpan LongestValidity = TimeSpan.FromDays(90);

    public async Task<Result<CreatedShareLink>> CreateAsync(
        ClaimsPrincipal user, string slug, string artifactName, int versionNumber, NewShareLink request, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.ManageShareLinks, cancellationToken).ConfigureAwait(false);
        if (request.ValidFor < ShortestValidity || request.ValidFor > LongestValidity)
        {
            return Result.Invalid<CreatedShareLink>(nameof(NewShareLink.ValidFor), "A link is valid for 1 hour to 90 days.");
        }

        var note = request.Note?.Trim() ?? "";
        if (note.Length > MaxNoteLength)
        {
            return Result.Invalid<CreatedShareLink>(nameof(NewShareLink.Note), $"Notes are at most {MaxNoteLength} characters.");
        }

        var version = await artifacts.GetVersionAsync(user, slug, artifactName, versionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken)
            .ConfigureAwait(false);
        if (version.Version.IsDeleted)
        {
            return Result.Invalid<CreatedShareLink>("Version", $"{version.Identifier} was deleted; there is nothing to share.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var versionId = await db.ArtifactVersions.Where(v => v.ArtifactId == version.ArtifactId && v.Number == versionNumber).Select(v => v.Id)
            .FirstAsync(cancellationToken).ConfigureAwait(false);
        var (secret, hash) = LinkSecret.Create();
        var now = time.GetUtcNow();
        var link = new ShareLink
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = access.ProjectId,
            ArtifactVersionId = versionId,
            SecretHash = hash,
            Note = note,
            AllowDownload = request.AllowDownload,
            CreatedByUserId = user.UserId()!,
            CreatedAt = now,
            ExpiresAt = now + request.ValidFor,
        };
        db.ShareLinks.Add(link);
        audit.Record(db, user, AuditActions.ShareLinkCreated, access.ProjectId, version.Identifier,
            $"expires {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC, downloads {(link.AllowDownload ? "allowed" : "not allowed")}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(new CreatedShareLink(secret, Summary(link, version.Identifier, user.UserName())));
    }

    /// <summary>The project's links, newest first, with the versions they share.</summary>
    public async Task<IReadOnlyList<ShareLinkSummary>> ListAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default) =>
        await ListAsync(await projects.DemandAsync(user, slug, ProjectOperation.ManageShareLinks, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>With an access the caller already looked up (a page's shell), to avoid looking the project up again.</summary>
    public async Task<IReadOnlyList<ShareLinkSummary>> ListAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.ManageShareLinks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.ShareLinks.AsNoTracking()
            .Where(l => l.ProjectId == access.ProjectId)
            .OrderByDescending(l => l.CreatedAt)
            .Join(db.ArtifactVersions, l => l.ArtifactVersionId, v => v.Id, (l, v) => new { Link = l, v.Number, v.ArtifactId })
            .Join(db.Artifacts, x => x.ArtifactId, a => a.Id, (x, a) => new { x.Link, x.Number, a.Name })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var names = await users.GetAsync([.. rows.Select(r => r.Link.CreatedByUserId).Distinct()], cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => Summary(
            r.Link,
            ArtifactReference.For(access.Slug, r.Name, r.Number),
            names.TryGetValue(r.Link.CreatedByUserId, out var creator) ? creator.UserName : "former member"))];
    }

    public async Task RevokeAsync(ClaimsPrincipal user, string slug, Guid linkId, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.ManageShareLinks, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var link = await db.ShareLinks.FirstOrDefaultAsync(l => l.Id == linkId && l.ProjectId == access.ProjectId, cancellationToken).ConfigureAwait(false)
            ?? throw new PortalNotFoundException("There is no such share link in this project.");
        if (link.RevokedAt is not null)
        {
            return;
        }

        link.RevokedAt = time.GetUtcNow();
        audit.Record(db, user, AuditActions.ShareLinkRevoked, access.ProjectId, $"share link created {link.CreatedAt:yyyy-MM-dd HH:mm} UTC");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The shared version for a link secret, counting the use; null for a secret that is unknown, expired or revoked, or
    /// whose version or project has gone — all alike, so a link reveals nothing once it stops working.
    /// </summary>
    public async Task<SharedVersion?> OpenAsync(string? secret, bool countUse, CancellationToken cancellationToken = default)
    {
        if (!LinkSecret.IsWellFormed(secret))
        {
            return null;
        }

        var hash = LinkSecret.Hash(secret);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var link = await db.ShareLinks.FirstOrDefaultAsync(l => l.SecretHash == hash, cancellationToken).ConfigureAwait(false);
        if (link is null || link.RevokedAt is not null || link.ExpiresAt <= now)
        {
            return null;
        }

        // Projects has a query filter for soft deletion; a deleted or archived-then-deleted project shares nothing.
        var place = await db.ArtifactVersions.AsNoTracking()
            .Where(v => v.Id == link.ArtifactVersionId && v.DeletedAt == null)
            .Join(db.Artifacts, v => v.ArtifactId, a => a.Id, (v, a) => new { Version = v, Artifact = a })
            .Join(db.Projects, x => x.Artifact.ProjectId, p => p.Id, (x, p) => new { x.Version, x.Artifact, p.Slug })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (place is null)
        {
            return null;
        }

        if (countUse)
        {
            link.LastUsedAt = now;
            link.UseCount++;
            audit.Record(db, actor: null, AuditActions.ShareLinkUsed, link.ProjectId, ArtifactReference.For(place.Slug, place.Artifact.Name, place.Version.Number));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var details = await artifacts.DetailsAsync(db, place.Slug, place.Artifact, place.Version, aliases: null, cancellationToken).ConfigureAwait(false);
        return new SharedVersion(Summary(link, details.Identifier, ""), details);
    }

    private static ShareLinkSummary Summary(ShareLink l, string identifier, string createdBy) =>
        new(l.Id, identifier, l.Note, l.AllowDownload, createdBy, l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.LastUsedAt, l.UseCount);
}
