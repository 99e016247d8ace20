using System.Security.Claims;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Projects made through the real ProjectService, and a look into the database behind it.</summary>
public static class ProjectScenario
{
    public static ProjectService Projects(this PortalWebApplicationFactory portal) => portal.Services.GetRequiredService<ProjectService>();

    public static ProjectAccessService Access(this PortalWebApplicationFactory portal) => portal.Services.GetRequiredService<ProjectAccessService>();

    public static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Creates a project owned by <paramref name="owner"/> and returns its slug.</summary>
    public static async Task<string> CreateProjectAsync(
        this PortalWebApplicationFactory portal, ClaimsPrincipal owner, string name, ProjectVisibility visibility = ProjectVisibility.Private,
        string? slug = null, string description = "")
    {
        slug ??= NewSlug(ProjectSlug.FromName(name));
        var result = await portal.Projects().CreateAsync(owner, new NewProject(name, slug, description, visibility));
        Assert.True(result.Succeeded, result.ErrorMessage);
        return slug;
    }

    /// <summary>Changes the database directly, for states the portal only reaches with time (old deletions, old activity).</summary>
    public static async Task ChangeProjectAsync(this PortalWebApplicationFactory portal, string slug, Action<Project> change)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var project = await db.Projects.IgnoreQueryFilters().SingleAsync(p => p.Slug == slug);
        change(project);
        await db.SaveChangesAsync();
    }

    public static async Task<T> QueryAsync<T>(this PortalWebApplicationFactory portal, Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>The project's audit actions, oldest first.</summary>
    public static Task<List<AuditEntry>> AuditEntriesAsync(this PortalWebApplicationFactory portal, Guid projectId) =>
        portal.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.ProjectId == projectId).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToListAsync());

    /// <summary>The "Your role" entry of the overview page's facts list; null when the page has none.</summary>
    public static string? ShownRole(this PortalPage page) =>
        page.Document.QuerySelectorAll("[data-testid=project-facts] dt")
            .FirstOrDefault(dt => dt.TextContent.Trim() == "Your role")?.NextElementSibling?.TextContent.Trim();

    /// <summary>Where an old slug leads now, as the project pages follow it.</summary>
    public static Task<string?> RenamedSlugAsync(this PortalWebApplicationFactory portal, string oldSlug) =>
        portal.Services.GetRequiredService<ProjectAccessService>().FindRenamedSlugAsync(oldSlug);

    public static Task<Guid> ProjectIdAsync(this PortalWebApplicationFactory portal, string slug) =>
        portal.QueryAsync(db => db.Projects.IgnoreQueryFilters().Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync());
}

public static class ProjectMembership
{
    /// <summary>Adds a member straight into the table (the members page is another feature's), as ProjectAccessService reads it.</summary>
    public static async Task AddMemberAsync(this PortalWebApplicationFactory portal, string slug, ClaimsPrincipal user, ProjectRole role)
    {
        var projectId = await portal.ProjectIdAsync(slug);
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = user.FindFirstValue(ClaimTypes.NameIdentifier)!, Role = role, AddedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    /// <summary>Creates a team with <paramref name="user"/> in it and gives the team <paramref name="role"/> in the project.</summary>
    public static async Task AddTeamWithMemberAsync(this PortalWebApplicationFactory portal, string slug, ClaimsPrincipal user, ProjectRole role)
    {
        var projectId = await portal.ProjectIdAsync(slug);
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var team = new Team { Id = Guid.NewGuid(), Name = ProjectScenario.NewSlug("team"), CreatedAt = DateTimeOffset.UtcNow };
        team.Members.Add(new TeamMember { UserId = user.FindFirstValue(ClaimTypes.NameIdentifier)!, AddedAt = DateTimeOffset.UtcNow });
        db.Teams.Add(team);
        db.ProjectTeams.Add(new ProjectTeam { ProjectId = projectId, TeamId = team.Id, Role = role, AddedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }
}
