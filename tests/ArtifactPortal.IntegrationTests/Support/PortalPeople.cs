using System.Security.Claims;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>An account on a test portal with the principal the portal builds when it signs in.</summary>
public sealed record TestUser(string Id, string Email, ClaimsPrincipal Principal);

/// <summary>People, projects and audit entries for tests that drive the Core use cases of a running portal.</summary>
public static class PortalPeople
{
    public static T Service<T>(this PortalWebApplicationFactory portal)
        where T : notnull => portal.Services.GetRequiredService<T>();

    /// <summary>A new account (straight in the database, password <see cref="PortalBrowser.TestPassword"/>).</summary>
    public static async Task<TestUser> CreateUserAsync(this PortalWebApplicationFactory portal, string who)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var email = PortalBrowser.NewEmail(who);
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, PortalBrowser.TestPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        return await PrincipalAsync(scope.ServiceProvider, user);
    }

    /// <summary>The shared portal's first account, a site administrator.</summary>
    public static Task<TestUser> AdministratorAsync(this PortalWebApplicationFactory portal) => portal.UserAsync(PortalFixture.OwnerEmail);

    /// <summary>An existing account, e.g. one a browser registered, with the principal its sign-in would carry.</summary>
    public static async Task<TestUser> UserAsync(this PortalWebApplicationFactory portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        Assert.True(user is not null, $"No account {email}.");
        return await PrincipalAsync(scope.ServiceProvider, user);
    }

    /// <summary>A new project with <paramref name="owner"/> as its only Owner.</summary>
    public static async Task<ProjectSummary> CreateProjectAsync(
        this PortalWebApplicationFactory portal, TestUser owner, ProjectVisibility visibility = ProjectVisibility.Private)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var result = await portal.Service<ProjectService>().CreateAsync(
            owner.Principal, new NewProject($"People test {suffix}", $"people-{suffix}", "", visibility));
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Value!;
    }

    /// <summary>The person's effective role as the portal judges it on every page; null when the project is hidden from them.</summary>
    public static async Task<ProjectRole?> RoleAsync(this PortalWebApplicationFactory portal, TestUser user, ProjectSummary project)
    {
        var access = await portal.Service<ProjectAccessService>().FindAsync(user.Principal, project.Slug);
        return access?.Role;
    }

    /// <summary>The project's audit log as (action, target, details), oldest first.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> AuditAsync(this PortalWebApplicationFactory portal, Guid? projectId)
    {
        await using var db = await portal.Service<IPortalDbContextFactory>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.ProjectId == projectId).OrderBy(e => e.Id).ToListAsync();
    }

    public static async Task ChangeDatabaseAsync(this PortalWebApplicationFactory portal, Func<IPortalDbContext, Task> change)
    {
        await using var db = await portal.Service<IPortalDbContextFactory>().CreateDbContextAsync();
        await change(db);
        await db.SaveChangesAsync();
    }

    private static async Task<TestUser> PrincipalAsync(IServiceProvider services, PortalUser user)
    {
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
        return new TestUser(user.Id, user.Email!, principal);
    }
}
