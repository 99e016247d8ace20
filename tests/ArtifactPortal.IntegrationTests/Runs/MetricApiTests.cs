using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Runs;

[Collection(PortalCollectionDefinition.Name)]
public sealed class MetricApiTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task LogMetrics_NumbersNaNAndInfinities_ComeBackTheSameWayWithSummaries(DatabaseProvider provider)
    {
        var (_, slug, run, client) = await RunningRunAsync(provider);
        using var _ = client;

        using var logged = await client.PostMetricsAsync(slug, run, """
            { "points": [
              { "key": "loss", "step": 0, "value": 2.5, "timestamp": 1764260000000 },
              { "key": "loss", "step": 2, "value": "NaN" },
              { "key": "loss", "step": 1, "value": 0.125 },
              { "key": "loss", "step": 3, "value": "Infinity" },
              { "key": "loss", "step": 3, "value": "-Infinity" },
              { "key": "loss", "step": 4, "value": 1e-7 },
              { "key": "train/acc", "step": 4, "value": 0.9 } ] }
            """);

        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);
        Assert.Equal(7, (await logged.Content.ReadFromJsonAsync<ApiMetricsAccepted>(ArtifactScenario.Json))!.Accepted);
        var list = await client.GetFromJsonAsync<ApiMetricList>(MetricScenario.MetricsUrl(slug, run), ArtifactScenario.Json);
        Assert.Equal(["loss", "train/acc"], list!.Items.Select(i => i.Key));
        Assert.Equal(new ApiMetricSummary("loss", 6, 1e-7, 4, 1e-7, 2.5), list.Items[0]);
        var raw = await client.GetStringAsync($"{MetricScenario.MetricsUrl(slug, run)}/loss?maxPoints=0");
        Assert.Contains("\"value\":\"NaN\"", raw, StringComparison.Ordinal);
        var loss = await client.PointsAsync(slug, run, "loss", "?maxPoints=0");
        // Step order; equal steps keep their arrival order.
        Assert.Equal([0L, 1, 2, 3, 3, 4], loss.Points.Select(p => p.Step));
        Assert.Equal([2.5, 0.125, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-7], loss.Points.Select(p => p.Value));
        Assert.Equal(1764260000000, loss.Points[0].Timestamp);
        Assert.InRange(loss.Points[1].Timestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.False(loss.Downsampled);
        Assert.Equal(0.9, (await client.PointsAsync(slug, run, "train/acc")).Points.Single().Value);
    }

    [Theory, DatabaseProviders]
    public async Task LogMetrics_BadPoints_Answer400NamingThePointAndStoreNothing(DatabaseProvider provider)
    {
        var (portal, slug, run, client) = await RunningRunAsync(provider);
        using var _ = client;
        var longKey = new string('k', RunLimits.MaxKeyLength + 1);
        var tooMany = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"key":"loss","step":{{i}},"value":1}"""));
        (string Body, string Expected)[] cases =
        [
            ($$"""{"points":[{"key":"loss","step":1,"value":1},{"key":"{{longKey}}","step":1,"value":1}]}""", "points[1]: the key"),
            ($$"""{"points":[{{tooMany}}]}""", "at most 1,000 points"),
            ("""{"points":[{"key":"loss","step":1,"value":1},{"key":"loss","step":2,"value":"abc"}]}""", "points[1].value"),
            ("""{"points":[{"key":"loss","step":1,"value":true}]}""", "points[0].value"),
            ("""{"points":[{"key":"loss","step":-1,"value":1}]}""", "points[0]: step -1 of 'loss' is negative"),
            ("""{"points":[{"key":"loss","step":1.5,"value":1}]}""", "points[0].step"),
            ("""{"points":[{"key":"loss","step":1}]}""", "points[0]: value is missing"),
            ("""{"points":[{"step":1,"value":1}]}""", "points[0]: the key is missing"),
        ];

        foreach (var (body, expected) in cases)
        {
            using var response = await client.PostMetricsAsync(slug, run, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.ProblemDetailAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await PointsOfAsync(portal, slug, run));
    }

    [Theory, DatabaseProviders]
    public async Task LogMetrics_EndedRunOrRunOfAnotherProject_Answers409Or404(DatabaseProvider provider)
    {
        var (portal, slug, _, client) = await RunningRunAsync(provider);
        using var _ = client;
        var owner = await portal.CreateUserAsync("metrics-other");
        var other = await portal.CreateProjectAsync(owner);
        var foreign = await portal.CreateRunAsync(other.Id, owner.Id);
        var finished = await portal.CreateRunAsync(await portal.ProjectIdAsync(slug), owner.Id, RunStatus.Finished);
        const string Batch = """{"points":[{"key":"loss","step":1,"value":1}]}""";

        using var ended = await client.PostMetricsAsync(slug, finished, Batch);
        using var elsewhere = await client.PostMetricsAsync(other.Slug, foreign, Batch);
        using var missing = await client.PostMetricsAsync(slug, 999, Batch);

        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Contains("finished", await ended.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, await PointsOfAsync(portal, other.Slug, foreign));
        Assert.Equal(0, await PointsOfAsync(portal, slug, finished));
    }

    [Theory, DatabaseProviders]
    public async Task LogMetrics_ConcurrentBatchesForOneKey_KeepEveryPointWithItsOwnIndex(DatabaseProvider provider)
    {
        var (portal, slug, run, client) = await RunningRunAsync(provider);
        using var _ = client;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(b =>
            client.LogAsync(slug, run, Enumerable.Range(0, 500).Select(i => ("loss", (long)((b * 500) + i), (double)i)))));

        var indexes = await portal.QueryAsync(db => PointsOf(db, slug, run).Select(p => p.Index).ToListAsync());
        Assert.Equal(4000, indexes.Count);
        Assert.Equal(Enumerable.Range(0, 4000).Select(i => (long)i), indexes.Order());
        var all = await client.PointsAsync(slug, run, "loss", "?maxPoints=0");
        Assert.Equal(4000, all.Total);
        Assert.Equal(Enumerable.Range(0, 4000).Select(i => (long)i), all.Points.Select(p => p.Step));
    }

    [Theory, DatabaseProviders]
    public async Task LogMetrics_WhileTheRunIsEdited_TheEditSavesWithTheStampReadBeforeTheBatchAndTheBatchCountsAsAHeartbeat(DatabaseProvider provider)
    {
        var (portal, slug, run, client) = await RunningRunAsync(provider);
        using var _ = client;
        await using var db = await portal.Service<IPortalDbContextFactory>().CreateDbContextAsync();
        var edited = await db.Runs.SingleAsync(r => r.Number == run && db.Projects.Any(p => p.Id == r.ProjectId && p.Slug == slug));
        var heartbeat = edited.LastHeartbeatAt;

        await client.LogAsync(slug, run, [("loss", 1, 0.5)]);
        edited.Notes = "Learning rate too high; see the loss spike.";
        edited.ConcurrencyStamp = Guid.NewGuid();
        // A stamp the batch had changed would make this throw DbUpdateConcurrencyException.
        await db.SaveChangesAsync();

        var saved = await portal.QueryAsync(d => d.Runs.AsNoTracking().SingleAsync(r => r.Id == edited.Id));
        Assert.Equal("Learning rate too high; see the loss spike.", saved.Notes);
        Assert.True(saved.LastHeartbeatAt > heartbeat, $"The batch did not count as a heartbeat ({saved.LastHeartbeatAt:O} ≤ {heartbeat:O}).");
        Assert.Single((await client.PointsAsync(slug, run, "loss")).Points);
    }

    [Theory, DatabaseProviders]
    public async Task GetPoints_LongSeries_DownsamplesKeepingGlobalExtremesAndRespectsTheStepRange(DatabaseProvider provider)
    {
        var (_, slug, run, client) = await RunningRunAsync(provider);
        using var _ = client;
        const int Count = 20_000;
        for (var batch = 0; batch < Count / 1000; batch++)
        {
            await client.LogAsync(slug, run, Enumerable.Range(batch * 1000, 1000).Select(i => ("loss", (long)i,
                i == 12_345 ? -50.0 : i == 7_777 ? 80.0 : i == 15_000 ? double.NaN : Math.Sin(i / 100.0))));
        }

        var chart = await client.PointsAsync(slug, run, "loss");
        var zoomed = await client.PointsAsync(slug, run, "loss", "?minStep=12000&maxStep=12999");

        Assert.True(chart.Downsampled);
        Assert.Equal(Count, chart.Total);
        Assert.InRange(chart.Points.Count, MetricRange.DefaultMaxPoints / 2, MetricRange.DefaultMaxPoints);
        Assert.Contains(chart.Points, p => p.Step == 12_345 && p.Value == -50);
        Assert.Contains(chart.Points, p => p.Step == 7_777 && p.Value == 80);
        Assert.Contains(chart.Points, p => p.Step == 15_000 && double.IsNaN(p.Value));
        Assert.Equal((0, Count - 1), (chart.Points[0].Step, chart.Points[^1].Step));
        Assert.False(zoomed.Downsampled);
        Assert.Equal(Enumerable.Range(12_000, 1000).Select(i => (long)i), zoomed.Points.Select(p => p.Step));
    }

    [Theory, DatabaseProviders]
    public async Task Metrics_ViewerReadsButCannotLog_OutsiderSeesNothing(DatabaseProvider provider)
    {
        var (portal, slug, run, client) = await RunningRunAsync(provider);
        using var _ = client;
        await client.LogAsync(slug, run, [("loss", 1, 0.5)]);
        var viewer = await portal.CreateUserAsync("metrics-viewer");
        await portal.AddMemberAsync(slug, viewer.Principal, ProjectRole.Viewer);
        using var viewerClient = portal.CreateTokenClient((await portal.CreateTokenAsync(viewer, TokenScopes.Read | TokenScopes.Write)).Token);
        var outsider = await portal.CreateUserAsync("metrics-outsider");
        using var outsiderClient = portal.CreateTokenClient((await portal.CreateTokenAsync(outsider, TokenScopes.Read | TokenScopes.Write)).Token);

        using var viewerLog = await viewerClient.PostMetricsAsync(slug, run, """{"points":[{"key":"loss","step":2,"value":1}]}""");
        using var outsiderRead = await outsiderClient.GetAsync($"{MetricScenario.MetricsUrl(slug, run)}/loss");

        Assert.Equal(HttpStatusCode.Forbidden, viewerLog.StatusCode);
        Assert.Single((await viewerClient.PointsAsync(slug, run, "loss")).Points);
        Assert.Equal(HttpStatusCode.NotFound, outsiderRead.StatusCode);
    }

    private static Task<long> PointsOfAsync(PortalWebApplicationFactory portal, string slug, int run) =>
        portal.QueryAsync(db => PointsOf(db, slug, run).LongCountAsync());

    private static IQueryable<MetricPoint> PointsOf(PortalDbContext db, string slug, int run) =>
        db.MetricPoints.Where(p => db.MetricSeries.Any(s => s.Id == p.SeriesId
            && db.Runs.Any(r => r.Id == s.RunId && r.Number == run && db.Projects.Any(x => x.Id == r.ProjectId && x.Slug == slug))));

    private async Task<(PortalWebApplicationFactory Portal, string Slug, int Run, HttpClient Client)> RunningRunAsync(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("metrics-owner");
        var project = await portal.CreateProjectAsync(owner);
        var run = await portal.CreateRunAsync(project.Id, owner.Id);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        return (portal, project.Slug, run, client);
    }
}
