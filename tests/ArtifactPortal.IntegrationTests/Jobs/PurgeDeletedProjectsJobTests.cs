using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.IntegrationTests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Jobs;

[Collection(PortalCollectionDefinition.Name)]
public sealed class PurgeDeletedProjectsJobTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task RunAsync_ProjectsDeletedLongerAgoThanTheRestoreWindow_RemovesThemAndRecordsThePurge(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "purger");
        var member = await PortalUsers.CreateAsync(portal, "member");
        var old = await portal.CreateProjectAsync(owner, "Old experiment");
        var recent = await portal.CreateProjectAsync(owner, "Recent experiment");
        var alive = await portal.CreateProjectAsync(owner, "Alive");
        await portal.AddMemberAsync(old, member, ProjectRole.Viewer);
        var renamedOld = ProjectScenario.NewSlug("old-experiment");
        Assert.True((await portal.Projects().UpdateSettingsAsync(owner, old, new ProjectSettings("Old experiment", renamedOld, "", ProjectVisibility.Private))).Succeeded);
        Assert.True((await portal.Projects().DeleteAsync(owner, renamedOld, "Old experiment")).Succeeded);
        Assert.True((await portal.Projects().DeleteAsync(owner, recent, "Recent experiment")).Succeeded);
        var oldId = await portal.ProjectIdAsync(renamedOld);
        await portal.ChangeProjectAsync(renamedOld, p => p.DeletedAt = DateTimeOffset.UtcNow - ProjectService.RestoreWindow - TimeSpan.FromMinutes(5));
        await portal.ChangeProjectAsync(recent, p => p.DeletedAt = DateTimeOffset.UtcNow - ProjectService.RestoreWindow + TimeSpan.FromHours(1));

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PurgeDeletedProjectsJob>().RunAsync(CancellationToken.None);
        }

        var remaining = await portal.QueryAsync(db => db.Projects.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.Slug == renamedOld || p.Slug == recent || p.Slug == alive).Select(p => p.Slug).ToListAsync());
        Assert.Equal(new[] { alive, recent }.Order(StringComparer.Ordinal), remaining.Order(StringComparer.Ordinal));
        Assert.False(await portal.QueryAsync(db => db.ProjectMembers.AnyAsync(m => m.ProjectId == oldId)));
        Assert.False(await portal.QueryAsync(db => db.ProjectSlugRedirects.AnyAsync(r => r.ProjectId == oldId)));
        // The history stays, with the purge as its last entry.
        var entries = await portal.AuditEntriesAsync(oldId);
        Assert.Contains(AuditActions.ProjectCreated, entries.Select(e => e.Action));
        var purged = Assert.Single(entries, e => e.Action == AuditActions.ProjectPurged);
        Assert.Equal("Old experiment", purged.Target);
        Assert.Equal(AuditLog.SystemActor, purged.ActorName);
        Assert.Null(purged.ActorUserId);
        // Its URL name is free again.
        Assert.True((await portal.Projects().CreateAsync(owner, new NewProject("New", renamedOld, "", ProjectVisibility.Private))).Succeeded);
    }

    [Theory, DatabaseProviders]
    public async Task Startup_RegistersThePurgeAsADailyRecurringJob(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);

        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs([RecurringJobs.PurgeDeletedProjects]));

        Assert.Equal(nameof(PurgeDeletedProjectsJob), job.Job.Type.Name);
        Assert.Equal("17 3 * * *", job.Cron);
    }
}
