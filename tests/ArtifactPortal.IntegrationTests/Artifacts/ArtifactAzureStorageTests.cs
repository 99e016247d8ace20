using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Storage;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Azure.Storage.Blobs;

namespace ArtifactPortal.IntegrationTests.Artifacts;

/// <summary>The whole artifact flow on Azure Blob Storage (Azurite): whole and chunked uploads, de-duplication, downloads.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ArtifactAzureStorageTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task UploadAndDownload_OnAzurite_StoresEachContentOnceAndServesExactBytes()
    {
        const string container = "portal-artifacts";
        await using var portal = PortalWebApplicationFactory.ForSqlite(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = azurite.ConnectionString,
            ["Storage:AzureBlob:Container"] = container,
        });
        var owner = await portal.CreateUserAsync("azure-owner");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "weights", "Model");
        var shared = new byte[300_000];
        Random.Shared.NextBytes(shared);
        var chunked = new byte[1_500_000];
        Random.Shared.NextBytes(chunked);

        var v1 = await client.UploadVersionAsync(project.Slug, "weights", new Dictionary<string, byte[]> { ["model.bin"] = shared });
        var upload = await client.BeginUploadAsync(
            project.Slug, "weights", new Dictionary<string, byte[]> { ["model.bin"] = shared, ["big.bin"] = chunked }, sendHashes: true);
        (await client.PutFileAsync(upload.Id, 0, shared)).Dispose();
        foreach (var start in new[] { 0, 1_000_000 })
        {
            var body = new ByteArrayContent(chunked, start, Math.Min(1_000_000, chunked.Length - start));
            body.Headers.ContentRange = new ContentRangeHeaderValue(start, start + body.Headers.ContentLength!.Value - 1, chunked.Length);
            using var put = await client.PutAsync($"{ApiEndpoints.Prefix}/uploads/{upload.Id}/files/1", body);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var commit = await client.CommitAsync(upload.Id);
        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        var v2 = (await commit.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json))!;

        Assert.Equal(2, v2.Number);
        foreach (var file in v2.Files!)
        {
            Assert.Equal(file.Path == "big.bin" ? chunked : shared, await client.GetByteArrayAsync(file.DownloadUrl));
        }

        var stored = new List<string>();
        await foreach (var blob in new BlobContainerClient(azurite.ConnectionString, container).GetBlobsAsync())
        {
            stored.Add(blob.Name);
        }

        // model.bin is in both versions and stored once; no temporary is left behind.
        Assert.Equal(v1.Files![0].Sha256, v2.Files.Single(f => f.Path == "model.bin").Sha256);
        Assert.Equal(
            new[] { AzureBlobStore.BlobPrefix + ArtifactScenario.Sha256(shared), AzureBlobStore.BlobPrefix + ArtifactScenario.Sha256(chunked) }.Order(),
            stored.Order());
    }
}
