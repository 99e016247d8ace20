using System.Linq.Expressions;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

/// <summary>Resolves a project by slug together with what the caller may do in it.</summary>
public sealed class ProjectAccessService(IPortalDbContextFactory dbFactory)
{
    /// <summary>
    /// The project by slug with the person's roles, in one round trip. Every page and API call starts here, so the query is
    /// compiled: as LINQ, each call built its expression tree, evaluated the captured context and looked the plan up again
    /// (about 0.4 ms of CPU per call). The roles are those of <see cref="WithRolesOf"/>; a change there belongs here too.
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, string, string?, CancellationToken, Task<ProjectWithRoles?>>> FindBySlug = new(() =>
        EF.CompileAsyncQuery((DbContext db, string slug, string? userId, CancellationToken cancellationToken) => db.Set<Project>()
            .AsNoTracking()
            .Where(p => p.Slug == slug)
            .Select(p => new ProjectWithRoles(
                p.Id,
                p.Slug,
                p.Name,
                p.Visibility,
                p.ArchivedAt,
                db.Set<ProjectMember>().Where(m => m.ProjectId == p.Id && m.UserId == userId).Select(m => (ProjectRole?)m.Role).FirstOrDefault(),
                db.Set<ProjectTeam>()
                    .Where(t => t.ProjectId == p.Id && db.Set<TeamMember>().Any(m => m.TeamId == t.TeamId && m.UserId == userId))
                    .Max(t => (ProjectRole?)t.Role)))
            .FirstOrDefault()));

    /// <summary>The caller's access, or null when the project is missing or the caller may not view it.</summary>
    public async Task<ProjectAccess?> FindAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await FindBySlug.For(db)((DbContext)db, slug, user.UserId(), cancellationToken).ConfigureAwait(false);
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

        var access = new ProjectAccess(
            project.Id, project.Slug, project.Name, project.Visibility, project.ArchivedAt is not null, project.Role, user.IsSiteAdministrator(), token);
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

        var project = await db.Projects.AsNoTracking()
            .Where(p => p.Id == projectId)
            .Select(WithRolesOf(db, userId))
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return project?.Role;
    }

    /// <summary>The project with the person's direct role and the highest role of their teams, as subqueries.</summary>
    private static Expression<Func<Project, ProjectWithRoles>> WithRolesOf(IPortalDbContext db, string? userId) => p => new ProjectWithRoles(
        p.Id,
        p.Slug,
        p.Name,
        p.Visibility,
        p.ArchivedAt,
        db.ProjectMembers.Where(m => m.ProjectId == p.Id && m.UserId == userId).Select(m => (ProjectRole?)m.Role).FirstOrDefault(),
        db.ProjectTeams
            .Where(t => t.ProjectId == p.Id && db.TeamMembers.Any(m => m.TeamId == t.TeamId && m.UserId == userId))
            .Max(t => (ProjectRole?)t.Role));

    private sealed record ProjectWithRoles(
        Guid Id, string Slug, string Name, ProjectVisibility Visibility, DateTimeOffset? ArchivedAt, ProjectRole? Direct, ProjectRole? ViaTeams)
    {
        public ProjectRole? Role => Direct > ViaTeams || ViaTeams is null ? Direct : ViaTeams;
    }

    /// <summary><see cref="EffectiveRoleAsync"/> for many projects in one query; projects without a role are left out.</summary>
    public static async Task<IReadOnlyDictionary<Guid, ProjectRole>> EffectiveRolesAsync(
        IPortalDbContext db, IReadOnlyCollection<Guid> projectIds, string userId, CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking()
            .Where(p => projectIds.Contains(p.Id))
            .Select(WithRolesOf(db, userId))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return projects.Where(p => p.Role is not null).ToDictionary(p => p.Id, p => p.Role!.Value);
    }
}
