using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Features.Analysis;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Analysis;

/// <summary>Commits through the API and waits for the real Hangfire jobs and engines, on SQLite and PostgreSQL.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class AnalysisJobsTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Commit_CsvAndImage_StatisticsAndThumbnailsAreStored(DatabaseProvider provider)
    {
        using var scenario = await AnalysisScenario.StartAsync(await fixture.SharedPortalAsync(provider), "analyst");
        var (csv, values) = AnalysisScenario.Csv(500);

        await scenario.UploadAsync(("data.csv", csv), ("images/photo.png", AnalysisScenario.Png(640, 480)));
        var result = await scenario.WaitForJobsAsync(1);

        Assert.All(result.Jobs, j => Assert.True(j.Status == AnalysisStatus.Succeeded, $"{j.Kind}: {j.Status} {j.Error}"));
        Assert.Equal([AnalysisKind.Statistics, AnalysisKind.Thumbnail], result.Jobs.Select(j => j.Kind));
        Assert.All(result.Jobs, j => Assert.Equal(1, j.Progress));
        var file = Assert.Single(result.Files);
        Assert.Equal("data.csv", file.Path);
        var statistics = file.Statistics!;
        Assert.Equal(500, statistics.RowCount);
        Assert.Equal(["id", "count", "value", "category"], statistics.Columns.Select(c => c.Name));
        var value = statistics.Columns.Single(c => c.Name == "value");
        Assert.Equal(ColumnType.Float, value.Type);
        Assert.Equal(50, value.Nulls);
        Assert.Equal(values.Average(), value.Mean!.Value, 1e-9);
        Assert.Equal(values.Min(), value.Min);
        Assert.Equal(values.Max(), value.Max);

        var versionId = await scenario.VersionIdAsync(1);
        var thumbnails = await scenario.Portal.QueryAsync(db => db.VersionThumbnails.AsNoTracking().Where(t => t.VersionId == versionId).ToListAsync());
        Assert.Equal(["images/photo.png|256", "images/photo.png|64", "|256", "|64"],
            thumbnails.Select(t => $"{t.Path}|{t.Size}").Order(StringComparer.Ordinal));
        foreach (var thumbnail in thumbnails)
        {
            Assert.True(await scenario.Portal.Service<Core.Artifacts.IBlobStore>().ExistsAsync(thumbnail.Sha256, default), thumbnail.Path);
        }
    }

    [Theory, DatabaseProviders]
    public async Task Thumbnail_MemberGetsItWithPrivateImmutableCaching_OutsiderGetsNotFound(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var scenario = await AnalysisScenario.StartAsync(portal, "thumbs");
        await scenario.UploadAsync(("cat.png", AnalysisScenario.Png(300, 200)));
        await scenario.WaitForJobsAsync(1);
        var versionId = await scenario.VersionIdAsync(1);
        var cover = await portal.QueryAsync(db => db.VersionThumbnails.AsNoTracking().FirstAsync(t => t.VersionId == versionId && t.Path == "" && t.Size == 256));
        var url = ThumbnailEndpoints.Url(scenario.Slug, cover.Sha256);

        using var member = portal.CreateBrowser();
        await member.LogInSuccessfullyAsync(scenario.Owner.Email);
        using var response = await member.Client.GetAsync(url);
        using var outsider = portal.CreateBrowser();
        await outsider.RegisterAndSignInAsync(PortalBrowser.NewEmail("outsider"));
        using var refused = await outsider.Client.GetAsync(url);
        using var anonymous = await portal.CreateBrowser().Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        var caching = response.Headers.CacheControl!;
        Assert.True(caching.Private && !caching.Public, caching.ToString());
        Assert.Equal(TimeSpan.FromSeconds(31536000), caching.MaxAge);
        Assert.Contains(caching.Extensions, e => e.Name == "immutable");
        Assert.Equal($"\"{cover.Sha256}\"", response.Headers.ETag?.Tag);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WEBP", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(cover.Sha256, ArtifactScenario.Sha256(bytes));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task Commit_RaggedCsv_FailsOnceWithAReadableReasonAndTheNextVersionSucceeds(DatabaseProvider provider)
    {
        using var scenario = await AnalysisScenario.StartAsync(await fixture.SharedPortalAsync(provider), "ragged");

        await scenario.UploadAsync(("data.csv", ArtifactScenario.Text("a,b,c\n1,2,3\n4,5\n6,7,8,9\n")));
        var bad = await scenario.WaitForJobsAsync(1);
        var (good, _) = AnalysisScenario.Csv(50);
        await scenario.UploadAsync(("data.csv", good));
        var next = await scenario.WaitForJobsAsync(2);

        var failed = bad.Jobs.Single(j => j.Kind == AnalysisKind.Statistics);
        Assert.Equal(AnalysisStatus.Failed, failed.Status);
        Assert.Contains("data.csv", failed.Error, StringComparison.Ordinal);
        // Bad input is not retried: one attempt only.
        Assert.Equal(1, failed.Attempts);
        var file = Assert.Single(bad.Files);
        Assert.Null(file.Statistics);
        Assert.Equal(failed.Error, file.Error);
        Assert.Equal(AnalysisStatus.Succeeded, next.Jobs.Single(j => j.Kind == AnalysisKind.Statistics).Status);
        Assert.Equal(50, Assert.Single(next.Files).Statistics!.RowCount);
    }

    [Theory, DatabaseProviders]
    public async Task Commit_PngClaiming50kBy50kPixels_ThumbnailJobFailsWithTheReason(DatabaseProvider provider)
    {
        using var scenario = await AnalysisScenario.StartAsync(await fixture.SharedPortalAsync(provider), "bomb");

        await scenario.UploadAsync(("bomb.png", AnalysisScenario.PngClaiming50kBy50k()));
        var result = await scenario.WaitForJobsAsync(1);

        var job = Assert.Single(result.Jobs);
        Assert.Equal(AnalysisKind.Thumbnail, job.Kind);
        Assert.Equal(AnalysisStatus.Failed, job.Status);
        Assert.Contains("bomb.png", job.Error, StringComparison.Ordinal);
        Assert.Equal(1, job.Attempts);
    }

    [Theory, DatabaseProviders]
    public async Task Rerun_Statistics_GivesTheSameResultWithoutDuplicates(DatabaseProvider provider)
    {
        using var scenario = await AnalysisScenario.StartAsync(await fixture.SharedPortalAsync(provider), "rerun");
        var (csv, _) = AnalysisScenario.Csv(200);
        await scenario.UploadAsync(("a.csv", csv), ("b.csv", csv));
        var first = await scenario.WaitForJobsAsync(1);

        using var rerun = await scenario.Client.PostAsync($"{scenario.VersionUrl(1)}/jobs/statistics/rerun", null);
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        var queued = await rerun.Content.ReadFromJsonAsync<ApiAnalysisJob>(FileStatisticsJson.Options);
        Assert.True(queued!.Status is AnalysisStatus.Queued or AnalysisStatus.Running or AnalysisStatus.Succeeded, queued.Status.ToString());
        var second = await scenario.WaitForJobsAsync(1);

        var versionId = await scenario.VersionIdAsync(1);
        Assert.Equal(2, await scenario.Portal.QueryAsync(db => db.VersionFileStatistics.CountAsync(s => s.VersionId == versionId)));
        Assert.Equal(2, await scenario.Portal.QueryAsync(db => db.AnalysisJobs.CountAsync(j => j.VersionId == versionId)));
        Assert.Equal(
            first.Files.Select(f => FileStatisticsJson.Serialize(f.Statistics!)),
            second.Files.Select(f => FileStatisticsJson.Serialize(f.Statistics!)));
        Assert.Equal(AnalysisStatus.Succeeded, second.Jobs.Single(j => j.Kind == AnalysisKind.Statistics).Status);
    }

    [Theory, DatabaseProviders]
    public async Task Rerun_ByAViewer_IsForbidden(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var scenario = await AnalysisScenario.StartAsync(portal, "rerun-owner");
        var (csv, _) = AnalysisScenario.Csv(20);
        await scenario.UploadAsync(("data.csv", csv));
        await scenario.WaitForJobsAsync(1);
        var viewer = await portal.CreateUserAsync("viewer");
        await portal.AddMemberAsync(scenario.Slug, viewer.Principal, Core.Projects.ProjectRole.Viewer);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(viewer, Core.Accounts.TokenScopes.Read | Core.Accounts.TokenScopes.Write)).Token);

        using var read = await client.GetAsync($"{scenario.VersionUrl(1)}/jobs");
        using var rerun = await client.PostAsync($"{scenario.VersionUrl(1)}/jobs/statistics/rerun", null);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rerun.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task Compare_ShiftedColumn_ShowsRowChangeNullsAndSignificantDrift(DatabaseProvider provider)
    {
        using var scenario = await AnalysisScenario.StartAsync(await fixture.SharedPortalAsync(provider), "drift");
        var (before, _) = AnalysisScenario.Csv(1000, seed: 1);
        var (after, _) = AnalysisScenario.Csv(1200, shift: 5, seed: 2);
        await scenario.UploadAsync(("data.csv", before));
        await scenario.UploadAsync(("data.csv", after));
        await scenario.WaitForJobsAsync(1);
        await scenario.WaitForJobsAsync(2);

        var comparison = await scenario.Client.GetFromJsonAsync<StatisticsComparison>(
            $"{scenario.VersionUrl(2)}/statistics/compare?with=v1", FileStatisticsJson.Options);
        using var missing = await scenario.Client.GetAsync($"{scenario.VersionUrl(2)}/statistics/compare");

        Assert.Equal(1, comparison!.BaselineVersion);
        var file = Assert.Single(comparison.Files);
        Assert.Equal(200, file.RowChange);
        var value = file.Columns.Single(c => c.Name == "value");
        Assert.True(value.PopulationStabilityIndex > StatisticsDrift.SignificantThreshold, $"PSI {value.PopulationStabilityIndex}");
        Assert.Equal(DriftLevel.Significant, value.Drift);
        Assert.Equal(5, value.MeanShift!.Value, 0.3);
        Assert.Equal(0, value.NullPercentChange, 0.5);
        var category = file.Columns.Single(c => c.Name == "category");
        Assert.Equal(DriftLevel.None, category.Drift);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task Job_RestartedAfterAWorkerDiedMidJob_RunsAgainAndOverwrites(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var scenario = await AnalysisScenario.StartAsync(portal, "killed");
        var (csv, _) = AnalysisScenario.Csv(100);
        await scenario.UploadAsync(("data.csv", csv));
        await scenario.WaitForJobsAsync(1);
        var versionId = await scenario.VersionIdAsync(1);
        // What a killed worker leaves: the row still Running, half-way, and Hangfire queues the same job again.
        await portal.ChangeDatabaseAsync(async db =>
        {
            var job = await db.AnalysisJobs.FirstAsync(j => j.VersionId == versionId && j.Kind == AnalysisKind.Statistics);
            job.Status = AnalysisStatus.Running;
            job.Progress = 0.4;
            job.FinishedAt = null;
        });

        await portal.Service<ComputeStatisticsJob>().RunAsync(versionId, CancellationToken.None);

        var after = await scenario.StatisticsAsync(1);
        var statisticsJob = after.Jobs.Single(j => j.Kind == AnalysisKind.Statistics);
        Assert.Equal(AnalysisStatus.Succeeded, statisticsJob.Status);
        Assert.Equal(2, statisticsJob.Attempts);
        Assert.NotNull(statisticsJob.FinishedAt);
        Assert.Equal(100, Assert.Single(after.Files).Statistics!.RowCount);
    }

    [Theory, DatabaseProviders]
    public async Task CleanUpStorage_KeepsThumbnailsOfLiveVersionsAndRemovesThoseOfDeletedOnes(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var scenario = await AnalysisScenario.StartAsync(portal, "thumb-cleaner");
        await scenario.UploadAsync(("kept.png", AnalysisScenario.Png(123, 77)));
        await scenario.UploadAsync(("gone.png", AnalysisScenario.Png(77, 123)));
        await scenario.WaitForJobsAsync(1);
        await scenario.WaitForJobsAsync(2);
        var v1 = await scenario.VersionIdAsync(1);
        var v2 = await scenario.VersionIdAsync(2);
        var kept = await portal.QueryAsync(db => db.VersionThumbnails.Where(t => t.VersionId == v1).Select(t => t.Sha256).Distinct().ToListAsync());
        var gone = await portal.QueryAsync(db => db.VersionThumbnails.Where(t => t.VersionId == v2).Select(t => t.Sha256).Distinct().ToListAsync());
        using (var delete = await scenario.Client.DeleteAsync($"{scenario.VersionUrl(2)}?reason=wrong%20images"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var store = (Infrastructure.Storage.FileSystemBlobStore)portal.Service<Core.Artifacts.IBlobStore>();
        foreach (var sha in kept.Concat(gone))
        {
            File.SetLastWriteTimeUtc(store.BlobPath(sha), DateTime.UtcNow - new Core.Artifacts.ArtifactOptions().UnreferencedBlobGracePeriod - TimeSpan.FromHours(1));
        }

        await portal.Service<CleanUpStorageJob>().RunAsync(CancellationToken.None);

        Assert.NotEmpty(kept);
        Assert.All(kept, sha => Assert.True(File.Exists(store.BlobPath(sha)), $"thumbnail {sha} of the live version was removed"));
        Assert.All(gone.Except(kept), sha => Assert.False(File.Exists(store.BlobPath(sha)), $"thumbnail {sha} of the deleted version was kept"));
    }
}
