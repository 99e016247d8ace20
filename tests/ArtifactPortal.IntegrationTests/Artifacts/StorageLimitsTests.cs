using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Artifacts;

[Collection(PortalCollectionDefinition.Name)]
public sealed class StorageLimitsTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task BeginUpload_OverTheConfiguredFileSizeAndDefaultQuota_Answers413And507AndKeepsNothing(DatabaseProvider provider)
    {
        // The one portal of these tests with its own limits: 1000 bytes per file, 3000 bytes per project.
        await using var portal = await fixture.NewPortalAsync(provider);
        portal.Settings[$"{ArtifactOptions.SectionName}:{nameof(ArtifactOptions.MaxFileSizeBytes)}"] = "1000";
        portal.Settings[$"{ArtifactOptions.SectionName}:{nameof(ArtifactOptions.DefaultProjectQuotaBytes)}"] = "3000";
        var owner = await portal.CreateUserAsync("limited");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "data");

        using var tooLarge = await BeginAsync(client, project.Slug, ("big.bin", 2000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var detail = await tooLarge.ProblemDetailAsync();
        Assert.Contains("big.bin", detail, StringComparison.Ordinal);
        Assert.Contains("2.0 KB", detail, StringComparison.Ordinal);
        Assert.Contains("at most 1000 B", detail, StringComparison.Ordinal);

        await client.UploadVersionAsync(project.Slug, "data", new Dictionary<string, byte[]> { ["a.bin"] = Bytes(900, 1), ["b.bin"] = Bytes(900, 2) });
        using var overQuota = await BeginAsync(client, project.Slug, ("c.bin", 900), ("d.bin", 900));

        Assert.Equal(HttpStatusCode.InsufficientStorage, overQuota.StatusCode);
        detail = await overQuota.ProblemDetailAsync();
        Assert.Contains("quota is 2.9 KB", detail, StringComparison.Ordinal);
        Assert.Contains("1.8 KB are used", detail, StringComparison.Ordinal);
        Assert.Equal(1, await portal.QueryAsync(db => db.ArtifactUploads.CountAsync()));
    }

    [Theory, DatabaseProviders]
    public async Task SetStorageQuota_ByAnAdministrator_LimitsUploadsAndOnlyAdministratorsMayChangeIt(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var admin = await portal.AdministratorAsync();
        var owner = await portal.CreateUserAsync("quota-owner");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "data");
        var projects = portal.Service<ProjectService>();

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => projects.SetStorageQuotaAsync(owner.Principal, project.Slug, 10_000_000));
        Assert.True((await projects.SetStorageQuotaAsync(admin.Principal, project.Slug, 100)).Succeeded);
        using var overQuota = await BeginAsync(client, project.Slug, ("weights.bin", 200));

        Assert.Equal(HttpStatusCode.InsufficientStorage, overQuota.StatusCode);
        Assert.Contains("quota is 100 B", await overQuota.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(100, (await projects.GetOverviewAsync(owner.Principal, project.Slug)).StorageQuotaBytes);
        Assert.Contains(await portal.AuditAsync(project.Id),
            e => e.Action == AuditActions.ProjectSettingsChanged && e.Details == "storage quota site default → 100 B");

        Assert.True((await projects.SetStorageQuotaAsync(admin.Principal, project.Slug, null)).Succeeded);
        var version = await client.UploadVersionAsync(project.Slug, "data", new Dictionary<string, byte[]> { ["weights.bin"] = Bytes(200, 3) });
        Assert.Equal(1, version.Number);
    }

    private static Task<HttpResponseMessage> BeginAsync(HttpClient client, string slug, params (string Path, long Size)[] files) =>
        client.PostAsJsonAsync(
            $"{ArtifactScenario.ArtifactsUrl(slug)}/data/uploads", new BeginUpload([.. files.Select(f => new UploadFileRequest(f.Path, f.Size))]),
            ArtifactScenario.Json);

    private static byte[] Bytes(int length, byte seed) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed + Random.Shared.Next(256)))];
}
