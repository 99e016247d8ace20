using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure.Storage;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Jobs;

/// <summary>A project with an artifact and a token client on the shared portal, and the FileSystem store under it.</summary>
internal sealed record StorageJobsScenario(PortalWebApplicationFactory Portal, TestUser Owner, string Slug, Guid ProjectId, HttpClient Client) : IDisposable
{
    public const string Artifact = "weights";

    public FileSystemBlobStore Store => (FileSystemBlobStore)Portal.Service<IBlobStore>();

    public static async Task<StorageJobsScenario> StartAsync(PortalWebApplicationFactory portal, string who)
    {
        var owner = await portal.CreateUserAsync(who);
        var project = await portal.CreateProjectAsync(owner);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, Artifact);
        return new StorageJobsScenario(portal, owner, project.Slug, project.Id, client);
    }

    /// <summary>Content no other test stores, so the jobs' verdict on it depends on this test alone.</summary>
    public static byte[] UniqueContent(string label) => ArtifactScenario.Text($"{label} {Guid.NewGuid()}");

    public Task<Web.Api.ApiVersion> UploadAsync(params (string Path, byte[] Content)[] files) =>
        Client.UploadVersionAsync(Slug, Artifact, files.ToDictionary(f => f.Path, f => f.Content));

    /// <summary>Makes a blob look as old as the grace period and an hour more, as if it had been stored long ago.</summary>
    public void Age(byte[] content) => Age(ArtifactScenario.Sha256(content));

    public void Age(string sha256) =>
        File.SetLastWriteTimeUtc(Store.BlobPath(sha256), DateTime.UtcNow - new ArtifactOptions().UnreferencedBlobGracePeriod - TimeSpan.FromHours(1));

    public bool Stored(byte[] content) => File.Exists(Store.BlobPath(ArtifactScenario.Sha256(content)));

    public void Dispose() => Client.Dispose();
}
