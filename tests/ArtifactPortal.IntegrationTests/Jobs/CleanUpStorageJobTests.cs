using System.Net;
using System.Net.Http.Headers;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.IntegrationTests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Jobs;

[Collection(PortalCollectionDefinition.Name)]
public sealed class CleanUpStorageJobTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task RunAsync_ExpiredUpload_RemovesItsRowAndStagedBytesAndKeepsCommittedVersions(DatabaseProvider provider)
    {
        using var scenario = await StorageJobsScenario.StartAsync(await fixture.SharedPortalAsync(provider), "cleaner");
        var committed = StorageJobsScenario.UniqueContent("committed");
        var v1 = await scenario.UploadAsync(("model.bin", committed));
        var pending = StorageJobsScenario.UniqueContent("pending chunked file");
        var expiring = await scenario.Client.BeginUploadAsync(scenario.Slug, StorageJobsScenario.Artifact, new Dictionary<string, byte[]> { ["big.bin"] = pending });
        await PutFirstChunkAsync(scenario.Client, expiring.Id, pending);
        var open = await scenario.Client.BeginUploadAsync(scenario.Slug, StorageJobsScenario.Artifact, new Dictionary<string, byte[]> { ["next.bin"] = pending });
        await PutFirstChunkAsync(scenario.Client, open.Id, pending);
        var staging = scenario.Portal.Service<IUploadStaging>();
        var orphan = Guid.NewGuid();
        await staging.WriteAsync(orphan, 0, 0, new MemoryStream([1, 2, 3]), 3, CancellationToken.None);
        await scenario.Portal.ChangeDatabaseAsync(async db =>
            (await db.ArtifactUploads.FirstAsync(u => u.Id == expiring.Id)).ExpiresAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1));

        var result = await RunAsync(scenario.Portal);

        Assert.True(result.ExpiredUploads >= 1);
        var uploads = await scenario.Portal.QueryAsync(db => db.ArtifactUploads.AsNoTracking()
            .Where(u => u.Id == expiring.Id || u.Id == open.Id).Select(u => u.Id).ToListAsync());
        Assert.Equal([open.Id], uploads);
        Assert.False(await scenario.Portal.QueryAsync(db => db.ArtifactUploads.SelectMany(u => u.Files).AnyAsync(f => f.UploadId == expiring.Id)));
        var staged = await staging.ListAsync(CancellationToken.None).ToListAsync();
        Assert.DoesNotContain(expiring.Id, staged);
        Assert.DoesNotContain(orphan, staged);
        Assert.Contains(open.Id, staged);
        using var download = await scenario.Client.GetAsync(Assert.Single(v1.Files!).DownloadUrl);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(committed, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory, DatabaseProviders]
    public async Task RunAsync_UnreferencedBlobs_DeletesOnlyThoseOlderThanTheGracePeriod(DatabaseProvider provider)
    {
        using var scenario = await StorageJobsScenario.StartAsync(await fixture.SharedPortalAsync(provider), "blob-cleaner");
        var oldOrphan = StorageJobsScenario.UniqueContent("old orphan");
        var youngOrphan = StorageJobsScenario.UniqueContent("young orphan");
        var inVersion = StorageJobsScenario.UniqueContent("in a version");
        var inOpenUpload = StorageJobsScenario.UniqueContent("in an open upload");
        await scenario.Store.PutAsync(new MemoryStream(oldOrphan), null, null, CancellationToken.None);
        await scenario.Store.PutAsync(new MemoryStream(youngOrphan), null, null, CancellationToken.None);
        await scenario.UploadAsync(("kept.bin", inVersion));
        var upload = await scenario.Client.BeginUploadAsync(scenario.Slug, StorageJobsScenario.Artifact, new Dictionary<string, byte[]> { ["later.bin"] = inOpenUpload });
        using (var put = await scenario.Client.PutFileAsync(upload.Id, 0, inOpenUpload))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        scenario.Age(oldOrphan);
        scenario.Age(inVersion);
        scenario.Age(inOpenUpload);
        var temporary = Path.Combine(scenario.Store.TemporaryPath, $"{Guid.NewGuid():N}.part");
        Directory.CreateDirectory(scenario.Store.TemporaryPath);
        await File.WriteAllBytesAsync(temporary, [1, 2, 3]);
        File.SetLastWriteTimeUtc(temporary, DateTime.UtcNow - TimeSpan.FromDays(2));

        var result = await RunAsync(scenario.Portal);

        Assert.False(scenario.Stored(oldOrphan));
        Assert.True(scenario.Stored(youngOrphan));
        Assert.True(scenario.Stored(inVersion));
        Assert.True(scenario.Stored(inOpenUpload));
        Assert.False(File.Exists(temporary));
        Assert.True(result.UnreferencedBlobs >= 1 && result.AbandonedTemporaries >= 1, result.ToString());
        // The open upload still commits: its file was kept.
        using var commit = await scenario.Client.CommitAsync(upload.Id);
        Assert.True(commit.IsSuccessStatusCode, await commit.Content.ReadAsStringAsync());
    }

    [Theory, DatabaseProviders]
    public async Task RunAsync_DeletedVersion_RemovesItsOwnBlobsAndKeepsThoseAnotherVersionShares(DatabaseProvider provider)
    {
        using var scenario = await StorageJobsScenario.StartAsync(await fixture.SharedPortalAsync(provider), "version-deleter");
        var shared = StorageJobsScenario.UniqueContent("shared");
        var own = StorageJobsScenario.UniqueContent("only in v1");
        await scenario.UploadAsync(("data.csv", shared), ("notes.txt", own));
        var v2 = await scenario.UploadAsync(("data.csv", shared));
        using (var delete = await scenario.Client.DeleteAsync(
            $"{ArtifactScenario.ArtifactsUrl(scenario.Slug)}/{StorageJobsScenario.Artifact}/versions/v1?reason=superseded"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        scenario.Age(shared);
        scenario.Age(own);

        await RunAsync(scenario.Portal);

        Assert.False(scenario.Stored(own));
        Assert.True(scenario.Stored(shared));
        using var download = await scenario.Client.GetAsync(Assert.Single(v2.Files!).DownloadUrl);
        Assert.Equal(shared, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory, DatabaseProviders]
    public async Task Startup_RegistersTheStorageJobsAsRecurringJobs(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);

        using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs([RecurringJobs.CleanUpStorage, RecurringJobs.VerifyBlobIntegrity]);

        Assert.Equal("41 * * * *", Assert.Single(jobs, j => j.Job.Type == typeof(CleanUpStorageJob)).Cron);
        Assert.Equal("29 4 * * *", Assert.Single(jobs, j => j.Job.Type == typeof(VerifyBlobIntegrityJob)).Cron);
    }

    private static async Task<StorageCleanup> RunAsync(PortalWebApplicationFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CleanUpStorageJob>().RunAsync(CancellationToken.None);
    }

    private static async Task PutFirstChunkAsync(HttpClient client, Guid uploadId, byte[] content)
    {
        using var chunk = new ByteArrayContent(content[..4]);
        chunk.Headers.ContentRange = new ContentRangeHeaderValue(0, 3, content.Length);
        using var response = await client.PutAsync($"{Web.Api.ApiEndpoints.Prefix}/uploads/{uploadId}/files/0", chunk);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
