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
}
