using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Search;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Search;

[Collection(PortalCollectionDefinition.Name)]
public sealed class PortalSearchServiceTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Search_IdentifierAndName_FindTheVersionAndArtifactOnlyInVisibleProjects(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("search-owner");
        var outsider = await portal.CreateUserAsync("search-outsider");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        var name = $"zebra{Guid.NewGuid():N}"[..14];
        await client.CreateArtifactAsync(project.Slug, name);
        await client.UploadVersionAsync(project.Slug, name, new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("a") });
        var search = portal.Service<PortalSearchService>();

        var byIdentifier = await search.SearchAsync(owner.Principal, $"{project.Slug}/{name}:v1");
        var byName = await search.SearchAsync(owner.Principal, name[..10].ToUpperInvariant());
        var outsiderByIdentifier = await search.SearchAsync(outsider.Principal, $"{project.Slug}/{name}:v1");
        var outsiderByName = await search.SearchAsync(outsider.Principal, name);

        var version = Assert.Single(byIdentifier, h => h.Kind == SearchHitKind.Version);
        Assert.Equal($"p/{project.Slug}/artifacts/{name}/v1", version.Path);
        var artifact = Assert.Single(byName);
        Assert.Equal(SearchHitKind.Artifact, artifact.Kind);
        Assert.Equal(name, artifact.Title);
        Assert.Empty(outsiderByIdentifier);
        Assert.Empty(outsiderByName);

        await portal.AddMemberAsync(project.Slug, outsider.Principal, ProjectRole.Viewer);
        Assert.Single(await search.SearchAsync(outsider.Principal, name));
    }
}
