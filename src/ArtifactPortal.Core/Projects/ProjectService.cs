using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

/// <summary>Project lifecycle: create, list, settings, archive, delete, restore. Every method checks the caller itself.</summary>
public sealed class ProjectService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService access,
    AuditLog audit,
    IAuthorizationService authorization,
    TimeProvider time)
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 20_000;

    /// <summary>How long an administrator can restore a deleted project before the purge job removes it.</summary>
    public static readonly TimeSpan RestoreWindow = TimeSpan.FromDays(30);

    /// <summary>Projects the user is a member of, directly or through a team, most recently active first.</summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListMineAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var mine = db.Projects.AsNoTracking()
            .Where(p => p.Members.Any(m => m.UserId == userId)
                || p.Teams.Any(t => db.TeamMembers.Any(tm => tm.TeamId == t.TeamId && tm.UserId == userId)));
        return await SummariesAsync(db, mine.OrderByDescending(p => p.LastActivityAt), userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every project the user may view: their own (directly or through a team), internal projects, and for site
    /// administrators all of them; for a project-restricted access token only those projects. <paramref name="search"/> matches name, URL name and description.
    /// </summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListVisibleAsync(
        ClaimsPrincipal user, string? search, ProjectSort sort, CancellationToken cancellationToken = default)
    {
        var userId = user.UserId();
        if (userId is null)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var visible = VisibleTo(db, user, userId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            // lower() on both sides: PostgreSQL compares case-sensitively, SQLite's instr() too.
            var term = search.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower(); the culture overloads are not translatable.
            visible = visible.Where(p => p.Name.ToLower().Contains(term) || p.Slug.Contains(term) || p.Description.ToLower().Contains(term));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var ordered = sort == ProjectSort.Name
#pragma warning disable CA1304, CA1311 // Translated to SQL lower().
            ? visible.OrderBy(p => p.Name.ToLower()).ThenBy(p => p.Slug)
#pragma warning restore CA1304, CA1311
            : visible.OrderByDescending(p => p.LastActivityAt).ThenBy(p => p.Slug);
        return await SummariesAsync(db, ordered, userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The projects <paramref name="user"/> may view, as a query: search and lists build on it, so they never show more.</summary>
    internal static IQueryable<Project> VisibleTo(IPortalDbContext db, ClaimsPrincipal user, string userId)
    {
        var visible = db.Projects.AsNoTracking();
        if (!user.IsSiteAdministrator())
        {
            visible = visible.Where(p => p.Visibility == ProjectVisibility.Internal
                || p.Members.Any(m => m.UserId == userId)
                || p.Teams.Any(t => db.TeamMembers.Any(tm => tm.TeamId == t.TeamId && tm.UserId == userId)));
        }

        if (PersonalAccessTokenLimits.For(user)?.ProjectIds is { } tokenProjects)
        {
            var ids = tokenProjects.ToList();
            visible = visible.Where(p => ids.Contains(p.Id));
        }

        return visible;
    }

    /// <summary>The overview page's facts; throws ProjectNotFoundException when the caller may not view the project.</summary>
    public async Task<ProjectOverview> GetOverviewAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var details = await db.Projects.AsNoTracking()
            .Where(p => p.Id == project.ProjectId)
            .Select(p => new { p.Description, p.CreatedAt, p.LastActivityAt, p.ArchivedAt, Members = p.Members.Count, Teams = p.Teams.Count, p.StorageQuotaBytes })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false) ?? throw new ProjectNotFoundException(slug);
        return new ProjectOverview(
            project, details.Description, details.CreatedAt, details.LastActivityAt, details.ArchivedAt, details.Members, details.Teams, details.StorageQuotaBytes);
    }

    /// <summary>
    /// Sets the project's own storage quota, or clears it (null) so the site default applies. Only site administrators may:
    /// the quota limits what the project's own Owners can store.
    /// </summary>
    public async Task<Result<long?>> SetStorageQuotaAsync(ClaimsPrincipal user, string slug, long? quotaBytes, CancellationToken cancellationToken = default)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        if (!user.IsSiteAdministrator())
        {
            throw new PortalAccessDeniedException("Only site administrators can change a project's storage quota.");
        }

        if (quotaBytes < 0)
        {
            return Result.Invalid<long?>(nameof(Project.StorageQuotaBytes), "The quota cannot be negative; leave it empty for the site default.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.Projects.FirstOrDefaultAsync(p => p.Id == project.ProjectId, cancellationToken).ConfigureAwait(false)
            ?? throw new ProjectNotFoundException(slug);
        if (entity.StorageQuotaBytes == quotaBytes)
        {
            return Result.Success(quotaBytes);
        }

        audit.Record(db, user, AuditActions.ProjectSettingsChanged, entity.Id, entity.Name,
            $"storage quota {QuotaText(entity.StorageQuotaBytes)} → {QuotaText(quotaBytes)}");
        entity.StorageQuotaBytes = quotaBytes;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(quotaBytes);

        static string QuotaText(long? bytes) => bytes is { } b ? ByteSize.Format(b) : "site default";
    }

    /// <summary>Creates a project with the creator as its first Owner.</summary>
    public async Task<Result<ProjectSummary>> CreateAsync(ClaimsPrincipal actor, NewProject request, CancellationToken cancellationToken = default)
    {
        var userId = actor.UserId() ?? throw new PortalAccessDeniedException("Sign in to create a project.");
        var settings = Normalize(new ProjectSettings(request.Name, request.Slug, request.Description, request.Visibility));
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            return Result.Invalid<ProjectSummary>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await SlugConflictAsync(db, settings.Slug, projectId: null, cancellationToken).ConfigureAwait(false) is { } conflict)
        {
            return Result.Invalid<ProjectSummary>(nameof(NewProject.Slug), conflict);
        }

        var now = time.GetUtcNow();
        var project = new Project
        {
            Id = Guid.CreateVersion7(now),
            Name = settings.Name,
            Slug = settings.Slug,
            Description = settings.Description,
            Visibility = settings.Visibility,
            CreatedAt = now,
            LastActivityAt = now,
        };
        project.Members.Add(new ProjectMember { UserId = userId, Role = ProjectRole.Owner, AddedAt = now });
        db.Projects.Add(project);
        db.ProtectedAliases.AddRange(ProtectedAliases.Defaults(project.Id));
        audit.Record(db, actor, AuditActions.ProjectCreated, project.Id, project.Name, $"URL name {project.Slug}, {project.Visibility}");
        if (!await TrySaveAsync(db, settings.Slug, cancellationToken).ConfigureAwait(false))
        {
            return Result.Invalid<ProjectSummary>(nameof(NewProject.Slug), SlugTaken(settings.Slug));
        }

        return Result.Success(new ProjectSummary(
            project.Id, project.Name, project.Slug, project.Description, project.Visibility, ProjectRole.Owner, 1, now));
    }

    /// <summary>
    /// Changes name, URL name, description and visibility (Maintainer and up, not while archived). A new URL name keeps the
    /// old one as a redirect, so links that people shared keep working.
    /// </summary>
    public async Task<Result<ProjectSettings>> UpdateSettingsAsync(
        ClaimsPrincipal user, string slug, ProjectSettings request, CancellationToken cancellationToken = default)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false);
        var settings = Normalize(request);
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            return Result.Invalid<ProjectSettings>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.Projects.FirstOrDefaultAsync(p => p.Id == project.ProjectId, cancellationToken).ConfigureAwait(false)
            ?? throw new ProjectNotFoundException(slug);
        var changes = new List<string>();
        var now = time.GetUtcNow();
        if (entity.Slug != settings.Slug)
        {
            if (await SlugConflictAsync(db, settings.Slug, entity.Id, cancellationToken).ConfigureAwait(false) is { } conflict)
            {
                return Result.Invalid<ProjectSettings>(nameof(ProjectSettings.Slug), conflict);
            }

            // Taking back one of its own earlier URL names: that name stops being a redirect.
            var reclaimed = await db.ProjectSlugRedirects
                .FirstOrDefaultAsync(r => r.OldSlug == settings.Slug, cancellationToken).ConfigureAwait(false);
            if (reclaimed is not null)
            {
                db.ProjectSlugRedirects.Remove(reclaimed);
            }

            db.ProjectSlugRedirects.Add(new ProjectSlugRedirect { OldSlug = entity.Slug, ProjectId = entity.Id, CreatedAt = now });
            changes.Add($"URL name {entity.Slug} → {settings.Slug}");
            entity.Slug = settings.Slug;
        }

        if (entity.Name != settings.Name)
        {
            changes.Add($"name \"{entity.Name}\" → \"{settings.Name}\"");
            entity.Name = settings.Name;
        }

        if (entity.Visibility != settings.Visibility)
        {
            changes.Add($"visibility {entity.Visibility} → {settings.Visibility}");
            entity.Visibility = settings.Visibility;
        }

        if (entity.Description != settings.Description)
        {
            changes.Add("description changed");
            entity.Description = settings.Description;
        }

        if (changes.Count == 0)
        {
            return Result.Success(settings);
        }

        entity.LastActivityAt = now;
        audit.Record(db, user, AuditActions.ProjectSettingsChanged, entity.Id, entity.Name, string.Join("; ", changes));
        return await TrySaveAsync(db, settings.Slug, cancellationToken).ConfigureAwait(false)
            ? Result.Success(settings)
            : Result.Invalid<ProjectSettings>(nameof(ProjectSettings.Slug), SlugTaken(settings.Slug));
    }

    /// <summary>Makes the project read-only (Maintainer and up). Archiving an archived project changes nothing.</summary>
    public Task ArchiveAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default) =>
        SetArchivedAsync(user, slug, archived: true, cancellationToken);

    public Task UnarchiveAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default) =>
        SetArchivedAsync(user, slug, archived: false, cancellationToken);

    /// <summary>
    /// Soft-deletes the project (Owner, or a site administrator) once the caller typed its name exactly. It disappears for
    /// everyone; an administrator can restore it within <see cref="RestoreWindow"/>.
    /// </summary>
    public async Task<Result<bool>> DeleteAsync(ClaimsPrincipal user, string slug, string typedName, CancellationToken cancellationToken = default)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.Delete, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(typedName, project.Name, StringComparison.Ordinal))
        {
            return Result.Invalid<bool>("ConfirmName", $"Type the project name exactly as shown: {project.Name}");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.Projects.FirstOrDefaultAsync(p => p.Id == project.ProjectId, cancellationToken).ConfigureAwait(false)
            ?? throw new ProjectNotFoundException(slug);
        entity.DeletedAt = time.GetUtcNow();
        entity.DeletedByUserId = user.UserId();
        audit.Record(db, user, AuditActions.ProjectDeleted, entity.Id, entity.Name, $"URL name {entity.Slug}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    /// <summary>Soft-deleted projects, newest first (site administrators only).</summary>
    public async Task<IReadOnlyList<DeletedProject>> ListDeletedAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Projects.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.DeletedAt != null)
            .Select(p => new
            {
                p.Id,
                p.Name,
                p.Slug,
                DeletedAt = p.DeletedAt!.Value,
                DeletedBy = db.AuditEntries
                    .Where(e => e.ProjectId == p.Id && e.Action == AuditActions.ProjectDeleted)
                    .OrderByDescending(e => e.OccurredAt)
                    .Select(e => e.ActorName)
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var now = time.GetUtcNow();
        return [.. rows
            .OrderByDescending(r => r.DeletedAt)
            .Select(r => new DeletedProject(r.Id, r.Name, r.Slug, r.DeletedAt, r.DeletedBy, r.DeletedAt + RestoreWindow, r.DeletedAt + RestoreWindow > now))];
    }

    /// <summary>Brings a soft-deleted project back, with its members, within <see cref="RestoreWindow"/> (site administrators only).</summary>
    /// <returns>The project's URL name.</returns>
    public async Task<Result<string>> RestoreAsync(ClaimsPrincipal user, Guid projectId, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.Projects.IgnoreQueryFilters()
            .FirstOrDefaultAsync(p => p.Id == projectId && p.DeletedAt != null, cancellationToken)
            .ConfigureAwait(false);
        if (entity is null)
        {
            return Result.Invalid<string>("Project", "There is no deleted project with this id; it may have been restored or purged already.");
        }

        var now = time.GetUtcNow();
        if (entity.DeletedAt!.Value + RestoreWindow <= now)
        {
            return Result.Invalid<string>("Project", $"{entity.Name} was deleted more than {RestoreWindow.Days} days ago and can no longer be restored.");
        }

        if (await SlugConflictAsync(db, entity.Slug, entity.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return Result.Invalid<string>(nameof(ProjectSettings.Slug),
                $"Cannot restore {entity.Name}: its URL name \"{entity.Slug}\" now belongs to another project. Rename that project first.");
        }

        entity.DeletedAt = null;
        entity.DeletedByUserId = null;
        entity.LastActivityAt = now;
        audit.Record(db, user, AuditActions.ProjectRestored, entity.Id, entity.Name, $"URL name {entity.Slug}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(entity.Slug);
    }

    private async Task SetArchivedAsync(ClaimsPrincipal user, string slug, bool archived, CancellationToken cancellationToken)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.Archive, cancellationToken).ConfigureAwait(false);
        if (project.IsArchived == archived)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.Projects.FirstOrDefaultAsync(p => p.Id == project.ProjectId, cancellationToken).ConfigureAwait(false)
            ?? throw new ProjectNotFoundException(slug);
        var now = time.GetUtcNow();
        entity.ArchivedAt = archived ? now : null;
        entity.LastActivityAt = now;
        audit.Record(db, user, archived ? AuditActions.ProjectArchived : AuditActions.ProjectUnarchived, entity.Id, entity.Name);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DemandAdministratorAsync(ClaimsPrincipal user)
    {
        var result = await authorization.AuthorizeAsync(user, PortalPolicies.SiteAdministrator).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PortalAccessDeniedException("Only site administrators manage deleted projects.");
        }
    }

    private static async Task<IReadOnlyList<ProjectSummary>> SummariesAsync(
        IPortalDbContext db, IQueryable<Project> projects, string userId, CancellationToken cancellationToken)
    {
        var rows = await projects
            .Select(p => new
            {
                p.Id,
                p.Name,
                p.Slug,
                p.Description,
                p.Visibility,
                Direct = p.Members.Where(m => m.UserId == userId).Select(m => (ProjectRole?)m.Role).FirstOrDefault(),
                ViaTeam = p.Teams
                    .Where(t => db.TeamMembers.Any(tm => tm.TeamId == t.TeamId && tm.UserId == userId))
                    .Select(t => (ProjectRole?)t.Role)
                    .Max(),
                MemberCount = p.Members.Count,
                p.LastActivityAt,
                p.ArchivedAt,
            })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. rows.Select(r => new ProjectSummary(
            r.Id, r.Name, r.Slug, r.Description, r.Visibility, Highest(r.Direct, r.ViaTeam), r.MemberCount, r.LastActivityAt, r.ArchivedAt is not null))];
    }

    private static ProjectRole? Highest(ProjectRole? a, ProjectRole? b) => a is null ? b : b is null ? a : (ProjectRole)Math.Max((int)a, (int)b);

    private static ProjectSettings Normalize(ProjectSettings settings) =>
        settings with { Name = settings.Name.Trim(), Slug = settings.Slug.Trim(), Description = settings.Description.Trim() };

    private static Dictionary<string, string> Validate(ProjectSettings settings)
    {
        var errors = new Dictionary<string, string>();
        if (settings.Name.Length == 0)
        {
            errors[nameof(ProjectSettings.Name)] = "Give the project a name.";
        }
        else if (settings.Name.Length > MaxNameLength)
        {
            errors[nameof(ProjectSettings.Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (!ProjectSlug.IsValid(settings.Slug))
        {
            errors[nameof(ProjectSettings.Slug)] = "Use 2–64 lowercase letters, digits and single hyphens, e.g. fraud-detection.";
        }

        if (settings.Description.Length > MaxDescriptionLength)
        {
            errors[nameof(ProjectSettings.Description)] =
                $"The description can be at most {MaxDescriptionLength.ToString("N0", CultureInfo.InvariantCulture)} characters.";
        }

        if (!Enum.IsDefined(settings.Visibility))
        {
            errors[nameof(ProjectSettings.Visibility)] = "Choose private or internal.";
        }

        return errors;
    }

    /// <summary>
    /// Why <paramref name="slug"/> cannot be used by the project <paramref name="projectId"/> (null for a new one), or null
    /// when it can. A deleted project keeps its URL names until it is purged, so a restore gets them back.
    /// </summary>
    private static async Task<string?> SlugConflictAsync(IPortalDbContext db, string slug, Guid? projectId, CancellationToken cancellationToken)
    {
        var usedByProject = await db.Projects.IgnoreQueryFilters()
            .AnyAsync(p => p.Slug == slug && p.Id != projectId, cancellationToken).ConfigureAwait(false);
        var usedByRedirect = await db.ProjectSlugRedirects
            .AnyAsync(r => r.OldSlug == slug && r.ProjectId != projectId, cancellationToken).ConfigureAwait(false);
        return usedByProject || usedByRedirect ? SlugTaken(slug) : null;
    }

    private static string SlugTaken(string slug) => $"The URL name \"{slug}\" is taken; choose another.";

    /// <summary>Saves, or returns false when a concurrent change took the URL name first (the unique keys let only one through).</summary>
    private async Task<bool> TrySaveAsync(IPortalDbContext db, string slug, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (await SlugConflictAsync(fresh, slug, projectId: null, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            throw;
        }
    }
}
