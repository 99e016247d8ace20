using System.Net.Http.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.IntegrationTests.Jobs;

[Collection(PortalCollectionDefinition.Name)]
public sealed class VerifyBlobIntegrityJobTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task RunAsync_CorruptedBlob_RecordsItOnceAuditsTheVersionAndTheApiFlagsTheFile(DatabaseProvider provider)
    {
        using var scenario = await StorageJobsScenario.StartAsync(await fixture.SharedPortalAsync(provider), "verifier");
        var good = StorageJobsScenario.UniqueContent("intact");
        var bad = StorageJobsScenario.UniqueContent("to be corrupted");
        var version = await scenario.UploadAsync(("intact.txt", good), ("weights.bin", bad));
        var badHash = ArtifactScenario.Sha256(bad);
        var corrupted = ArtifactScenario.Text("bit rot");
        await File.WriteAllBytesAsync(scenario.Store.BlobPath(badHash), corrupted);

        var first = await RunAsync(scenario.Portal);
        var second = await RunAsync(scenario.Portal);

        Assert.Contains(badHash, first.NewlyDamaged);
        Assert.DoesNotContain(ArtifactScenario.Sha256(good), first.NewlyDamaged);
        Assert.DoesNotContain(badHash, second.NewlyDamaged);
        var damaged = await scenario.Portal.QueryAsync(db => db.DamagedBlobs.AsNoTracking().SingleAsync(d => d.Sha256 == badHash));
        Assert.Equal(ArtifactScenario.Sha256(corrupted), damaged.ActualSha256);
        var entry = Assert.Single(await scenario.Portal.AuditAsync(scenario.ProjectId), e => e.Action == AuditActions.BlobDamaged);
        Assert.Equal($"{StorageJobsScenario.Artifact}:v{version.Number}", entry.Target);
        Assert.Contains("weights.bin", entry.Details, StringComparison.Ordinal);
        Assert.Equal(AuditLog.SystemActor, entry.ActorName);
        var answer = await scenario.Client.GetFromJsonAsync<ApiVersion>(
            $"{ArtifactScenario.ArtifactsUrl(scenario.Slug)}/{StorageJobsScenario.Artifact}/versions/v{version.Number}", ArtifactScenario.Json);
        Assert.Equal(["weights.bin"], answer!.DamagedFiles);
    }

    [Theory, DatabaseProviders]
    public async Task RunAsync_MissingBlob_IsRecordedAsDamagedWithoutAnActualHash(DatabaseProvider provider)
    {
        using var scenario = await StorageJobsScenario.StartAsync(await fixture.SharedPortalAsync(provider), "verifier-missing");
        var lost = StorageJobsScenario.UniqueContent("lost");
        await scenario.UploadAsync(("lost.bin", lost));
        File.Delete(scenario.Store.BlobPath(ArtifactScenario.Sha256(lost)));

        var result = await RunAsync(scenario.Portal);

        Assert.Contains(ArtifactScenario.Sha256(lost), result.NewlyDamaged);
        var damaged = await scenario.Portal.QueryAsync(db => db.DamagedBlobs.AsNoTracking().SingleAsync(d => d.Sha256 == ArtifactScenario.Sha256(lost)));
        Assert.Null(damaged.ActualSha256);
        Assert.Contains(await scenario.Portal.AuditAsync(scenario.ProjectId), e => e.Action == AuditActions.BlobDamaged && e.Details.Contains("missing", StringComparison.Ordinal));
    }

    /// <summary>The recurring run with a sample as large as the shared portal's store, so this test's blobs are always in it.</summary>
    private static async Task<BlobIntegrityCheck> RunAsync(PortalWebApplicationFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var job = ActivatorUtilities.CreateInstance<VerifyBlobIntegrityJob>(
            scope.ServiceProvider, Options.Create(new ArtifactOptions { IntegritySampleSize = 1_000_000 }));
        return await job.RunAsync(CancellationToken.None);
    }
}
