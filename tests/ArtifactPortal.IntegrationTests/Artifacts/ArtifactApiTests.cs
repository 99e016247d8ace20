using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
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
        var (portal, project, client) = await OwnerWithArtifactAsync(provider, "artifact-owner", "cifar10");
        using var _ = client;
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

    [Theory, DatabaseProviders]
    public async Task DownloadZip_TextAndBinaryFiles_SameBytesWithOnlyTheTextDeflated(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerWithArtifactAsync(provider, "zip-owner", "bundle");
        using var _ = client;
        var csv = ArtifactScenario.Text(string.Concat(Enumerable.Repeat("epoch,loss\n1,0.5\n", 2000)));
        var weights = RandomNumberGenerator.GetBytes(300_000);
        var version = await client.UploadVersionAsync(project.Slug, "bundle", new Dictionary<string, byte[]> { ["metrics.csv"] = csv, ["model/weights.bin"] = weights });

        using var response = await client.GetAsync($"{ArtifactScenario.ArtifactsUrl(project.Slug)}/bundle/versions/v{version.Number}/zip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var text = zip.GetEntry("metrics.csv")!;
        var binary = zip.GetEntry("model/weights.bin")!;
        Assert.Equal(csv, await ReadAllAsync(text));
        Assert.Equal(weights, await ReadAllAsync(binary));
        Assert.True(text.CompressedLength < text.Length / 10);
        Assert.Equal(binary.Length, binary.CompressedLength);
    }

    [Theory, DatabaseProviders]
    public async Task ListVersions_ThreeVersionsPagedByTwo_NewestFirstWithIdentifiersAndTotal(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerWithArtifactAsync(provider, "versions-owner", "Weights");
        using var _ = client;
        for (var i = 1; i <= 3; i++)
        {
            await client.UploadVersionAsync(project.Slug, "Weights", new Dictionary<string, byte[]> { ["w.bin"] = [(byte)i] });
        }

        var url = $"{ArtifactScenario.ArtifactsUrl(project.Slug)}/weights/versions?pageSize=2";
        var first = await client.GetFromJsonAsync<ApiPage<ApiVersion>>($"{url}&page=1", ArtifactScenario.Json);
        var second = await client.GetFromJsonAsync<ApiPage<ApiVersion>>($"{url}&page=2", ArtifactScenario.Json);

        Assert.Equal(3, first!.Total);
        Assert.Equal([3, 2], first.Items.Select(v => v.Number));
        Assert.Equal([1], second!.Items.Select(v => v.Number));
        Assert.Equal($"{project.Slug}/Weights:v3", first.Items[0].Identifier);
        Assert.Equal(["latest"], first.Items[0].Aliases);
    }

    [Theory, DatabaseProviders]
    public async Task ListArtifacts_FilteredByTagTypeAndText_FindsTheRightOnesWithTheirTagsSorted(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerWithArtifactAsync(provider, "list-owner", "untagged");
        using var _ = client;
        foreach (var (name, type, tags) in new[]
        {
            ("cifar10", "Dataset", new[] { "vision", "baseline", "Images" }),
            ("resnet50", "Model", ["vision", "prod"]),
            ("bert-base", "Model", ["nlp"]),
        })
        {
            using var created = await client.PostAsJsonAsync(ArtifactScenario.ArtifactsUrl(project.Slug), new ApiNewArtifact(name, type, "", tags), ArtifactScenario.Json);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        async Task<ApiPage<ApiArtifact>> ListAsync(string query) =>
            (await client.GetFromJsonAsync<ApiPage<ApiArtifact>>($"{ArtifactScenario.ArtifactsUrl(project.Slug)}?sort=name&{query}", ArtifactScenario.Json))!;

        var all = await ListAsync("");
        Assert.Equal(["bert-base", "cifar10", "resnet50", "untagged"], all.Items.Select(a => a.Name));
        Assert.Equal(["baseline", "images", "vision"], all.Items[1].Tags);
        Assert.Empty(all.Items[3].Tags);
        Assert.Equal(["cifar10", "resnet50"], (await ListAsync("tag=vision")).Items.Select(a => a.Name));
        Assert.Equal(["resnet50"], (await ListAsync("tag=vision&type=model")).Items.Select(a => a.Name));
        // Text search matches a name part or a whole tag.
        Assert.Equal(["bert-base"], (await ListAsync("q=nlp")).Items.Select(a => a.Name));
        Assert.Equal(["resnet50"], (await ListAsync("q=RESNET")).Items.Select(a => a.Name));
        // The total on every page: a full one, the last one, one past the end, and a filtered list.
        var full = await ListAsync("pageSize=3&page=1");
        Assert.Equal((4, 3), (full.Total, full.Items.Count));
        var paged = await ListAsync("pageSize=3&page=2");
        Assert.Equal(4, paged.Total);
        Assert.Equal(["untagged"], paged.Items.Select(a => a.Name));
        var beyond = await ListAsync("pageSize=3&page=3");
        Assert.Equal((4, 0), (beyond.Total, beyond.Items.Count));
        Assert.Equal(2, (await ListAsync("tag=vision")).Total);
        Assert.Equal(2, (await ListAsync("tag=vision&pageSize=1&page=2")).Total);
    }

    /// <summary>A new account owning a new project with one artifact, and an API client with its read/write token.</summary>
    private async Task<(PortalWebApplicationFactory Portal, ProjectSummary Project, HttpClient Client)> OwnerWithArtifactAsync(
        DatabaseProvider provider, string account, string artifact)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync(account);
        var project = await portal.CreateProjectAsync(owner);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, artifact);
        return (portal, project, client);
    }

    private static async Task<byte[]> ReadAllAsync(ZipArchiveEntry entry)
    {
        await using var content = await entry.OpenAsync();
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }
}
