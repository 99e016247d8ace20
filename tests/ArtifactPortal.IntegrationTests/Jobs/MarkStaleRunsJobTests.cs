using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.IntegrationTests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Jobs;

[Collection(PortalCollectionDefinition.Name)]
public sealed class MarkStaleRunsJobTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task RunAsync_RunsSilentLongerThanTheTimeout_AreKilledAtTheirLastHeartbeatAndTakeNoMoreWrites(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("stale-runs");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        var silent = await client.CreateRunAsync(project.Slug, new { name = "crashed" });
        var revived = await client.CreateRunAsync(project.Slug, new { name = "revived" });
        var alive = await client.CreateRunAsync(project.Slug, new { name = "alive" });
        var done = await client.CreateRunAsync(project.Slug, new { name = "done" });
        (await client.PatchRunAsync(project.Slug, done.Number, new { status = "finished" })).Dispose();
        var lastSign = DateTimeOffset.UtcNow.AddMinutes(-11);
        await portal.ChangeDatabaseAsync(async db =>
        {
            foreach (var run in await db.Runs.Where(r => r.ProjectId == project.Id && r.Number != alive.Number).ToListAsync())
            {
                run.LastHeartbeatAt = lastSign;
            }
        });
        using var heartbeat = await client.PostAsync($"{RunScenario.RunUrl(project.Slug, revived.Number)}/heartbeat", null);

        await portal.Service<MarkStaleRunsJob>().RunAsync(CancellationToken.None);

        var runs = (await client.ListRunsAsync(project.Slug)).Items.ToDictionary(r => r.Name);
        Assert.Equal(HttpStatusCode.NoContent, heartbeat.StatusCode);
        Assert.Equal("killed", runs["crashed"].Status);
        Assert.Equal(lastSign, runs["crashed"].EndedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal("running", runs["revived"].Status);
        Assert.Equal("running", runs["alive"].Status);
        Assert.Equal("finished", runs["done"].Status);
        using var late = await client.PatchRunAsync(project.Slug, silent.Number, new { @params = new { lr = 0.1 } });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("killed", await late.ProblemDetailAsync(), StringComparison.Ordinal);
        var ended = Assert.Single(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.RunEnded && e.Target == $"run {silent.Number}");
        Assert.Equal(AuditLog.SystemActor, ended.ActorName);
    }

    [Theory, DatabaseProviders]
    public async Task Startup_RegistersTheJobToRunEveryMinute(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);

        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs([RecurringJobs.MarkStaleRuns]));

        Assert.Equal(nameof(MarkStaleRunsJob), job.Job.Type.Name);
        Assert.Equal(Cron.Minutely(), job.Cron);
    }
}
