using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

/// <summary>Resolves a project by slug together with what the caller may do in it.</summary>
public sealed class ProjectAccessService(IPortalDbContextFactory dbFactory)
{
    /// <summary>The caller's access, or null when the project is missing or the caller may not view it.</summary>
    public async Task<ProjectAccess?> FindAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var userId = user.UserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One round trip: every API call starts here (a metric batch, a download), so the roles come with the project.
        var project = await db.Projects.AsNoTracking()
            .Where(p => p.Slug == slug)
            .Select(p => new
            {
                p.Id,
                p.Slug,
                p.Name,
                p.Visibility,
                p.ArchivedAt,
                Direct = db.ProjectMembers.Where(m => m.ProjectId == p.Id && m.UserId == userId).Select(m => (ProjectRole?)m.Role).FirstOrDefault(),
                ViaTeams = db.ProjectTeams.Where(t => t.ProjectId == p.Id && db.TeamMembers.Any(m => m.TeamId == t.TeamId && m.UserId == userId))
                    .Max(t => (ProjectRole?)t.Role),
            })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (project is null)
        {
            return null;
        }

        // A token limited to other projects cannot tell this one from a missing one.
        var token = PersonalAccessTokenLimits.For(user);
        if (token is not null && !token.AllowsProject(project.Id))
        {
            return null;
        }

        var role = userId is null ? null : project.Direct > project.ViaTeams || project.ViaTeams is null ? project.Direct : project.ViaTeams;
        var access = new ProjectAccess(
            project.Id, project.Slug, project.Name, project.Visibility, project.ArchivedAt is not null, role, user.IsSiteAdministrator(), token);
        return access.Can(ProjectOperation.View) ? access : null;
    }

    /// <summary>Like <see cref="FindAsync"/>, but throws: not viewable → ProjectNotFoundException, not allowed → PortalAccessDeniedException.</summary>
    public async Task<ProjectAccess> DemandAsync(ClaimsPrincipal user, string slug, ProjectOperation operation, CancellationToken cancellationToken = default)
    {
        var access = await FindAsync(user, slug, cancellationToken).ConfigureAwait(false) ?? throw new ProjectNotFoundException(slug);
        return access.Can(operation)
            ? access
            : throw new PortalAccessDeniedException(access.IsArchived
                ? "The project is archived (read-only)."
                : $"Your role in {access.Name} does not allow this.");
    }

    /// <summary>The current slug for an old one, when the project was renamed; null when there is none.</summary>
    public async Task<string?> FindRenamedSlugAsync(string oldSlug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ProjectSlugRedirects.AsNoTracking()
            .Where(r => r.OldSlug == oldSlug)
            .Join(db.Projects, r => r.ProjectId, p => p.Id, (_, p) => p.Slug)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The highest of the person's direct role and the roles of their teams in the project.</summary>
    public static async Task<ProjectRole?> EffectiveRoleAsync(IPortalDbContext db, Guid projectId, string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return null;
        }

        var direct = await db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == projectId && m.UserId == userId)
            .Select(m => (ProjectRole?)m.Role)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var viaTeams = await db.ProjectTeams.AsNoTracking()
            .Where(t => t.ProjectId == projectId && db.TeamMembers.Any(m => m.TeamId == t.TeamId && m.UserId == userId))
            .Select(t => (ProjectRole?)t.Role)
            .MaxAsync(cancellationToken)
            .ConfigureAwait(false);
        return direct > viaTeams || viaTeams is null ? direct : viaTeams;
    }
}
