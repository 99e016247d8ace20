using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Hosting;

/// <summary>
/// The artifact, run and audit lists load their rows once the page is interactive (MudBlazor's server-data grids ask after
/// their first render, which a server render never reaches). What the server sends first must say the list is loading: a
/// project with artifacts must never be shown as "no artifacts match", even for the moment before the circuit starts.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ServerRenderedListsTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Get_ListsOfAProjectWithContent_SayLoadingNotEmpty(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.AdministratorAsync();
        var slug = (await portal.CreateProjectAsync(owner)).Slug;
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(slug, "features");
        await client.CreateRunAsync(slug);
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);

        foreach (var (path, loading, empty) in new[]
                 {
                     ($"/p/{slug}/artifacts", "artifact-list-loading", "No artifacts match"),
                     ($"/p/{slug}/runs", "run-list-loading", "No runs match"),
                     ($"/p/{slug}/audit", "audit-loading", "Nothing has been recorded yet"),
                 })
        {
            var page = await browser.OpenAsync(path);

            Assert.DoesNotContain(empty, page.Document.Body!.TextContent, StringComparison.Ordinal);
            Assert.NotNull(page.Document.QuerySelector($"[data-testid={loading}]"));
        }
    }
}
