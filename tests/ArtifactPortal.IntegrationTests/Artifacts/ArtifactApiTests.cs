using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Artifacts;

[Collection(PortalCollectionDefinition.Name)]
public sealed class ArtifactApiTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task UploadVersion_TwoVersions_NumbersThemMovesLatestAndDownloadsTheSameBytes(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("artifact-owner");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "cifar10");
        var csv = ArtifactScenario.Text("a,b\n1,2\n");

        var v1 = await client.UploadVersionAsync(project.Slug, "cifar10", new Dictionary<string, byte[]> { ["data/train.csv"] = csv, ["README.md"] = ArtifactScenario.Text("# CIFAR") });
        var v2 = await client.UploadVersionAsync(project.Slug, "cifar10", new Dictionary<string, byte[]> { ["data/train.csv"] = csv });

        Assert.Equal(1, v1.Number);
        Assert.Equal(2, v2.Number);
        Assert.Equal($"{project.Slug}/cifar10:v2", v2.Identifier);
        Assert.Equal(["latest"], v2.Aliases);
        var file = Assert.Single(v2.Files!);
        Assert.Equal(ArtifactScenario.Sha256(csv), file.Sha256);
        Assert.Equal("text/csv", file.MediaType);
        var latest = await client.GetFromJsonAsync<ApiVersion>($"{ApiEndpoints.Prefix}/resolve?id={project.Slug}/cifar10:latest", ArtifactScenario.Json);
        Assert.Equal(2, latest!.Number);
        using var download = await client.GetAsync(file.DownloadUrl);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(csv, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{file.Sha256}\"", download.Headers.ETag?.Tag);
        Assert.Contains(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.ArtifactVersionCreated && e.Target == "cifar10:v2");
    }

    [Theory, DatabaseProviders]
    public async Task DownloadZip_Version_HoldsEveryFileWithItsPathAndBytes(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("artifact-zip");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "plots", "Visualization");
        var files = new Dictionary<string, byte[]>
        {
            ["index.html"] = ArtifactScenario.Text("<h1>hi</h1>"),
            ["img/loss.png"] = [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31))],
            ["empty.txt"] = [],
        };
        await client.UploadVersionAsync(project.Slug, "plots", files);

        using var response = await client.GetAsync($"{ArtifactScenario.ArtifactsUrl(project.Slug)}/plots/versions/latest/zip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync());
        var unpacked = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
        Assert.Equal(files.Keys.Order(), unpacked.Keys.Order());
        Assert.All(files, f => Assert.Equal(f.Value, unpacked[f.Key]));
    }
}
