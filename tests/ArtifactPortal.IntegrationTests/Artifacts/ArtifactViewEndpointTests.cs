using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Artifacts;

/// <summary>The sandboxed document the version page frames: /p/{slug}/artifacts/{name}/v{n}/view/{path}.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ArtifactViewEndpointTests(PortalFixture fixture)
{
    private static readonly byte[] Chart = ArtifactScenario.Text("<!doctype html><script>document.body.textContent = document.cookie</script>");

    [Theory, DatabaseProviders]
    public async Task View_Member_ServesTheBytesAsASandboxedDocument(DatabaseProvider provider)
    {
        var (portal, owner, slug) = await ArtifactWithChartAsync(provider);
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(owner.Email);

        using var response = await browser.Client.GetAsync($"/p/{slug}/artifacts/charts/v1/view/plots/loss%20curve.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Chart, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["sandbox allow-scripts"], response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Theory, DatabaseProviders]
    public async Task View_Outsider_GetsTheSame404AsAMissingFile(DatabaseProvider provider)
    {
        var (portal, _, slug) = await ArtifactWithChartAsync(provider);
        var outsider = await portal.CreateUserAsync("view-outsider");
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(outsider.Email);

        using var hidden = await browser.Client.GetAsync($"/p/{slug}/artifacts/charts/v1/view/plots/loss%20curve.html");
        using var missing = await browser.Client.GetAsync($"/p/no-such-project/artifacts/charts/v1/view/plots/loss%20curve.html");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // Both get the portal's not-found page (its tokens differ per request); neither gets the file.
        Assert.Equal(missing.Content.Headers.ContentType?.MediaType, hidden.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("document.cookie", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(hidden.Headers.TryGetValues("Content-Security-Policy", out var policy) && policy.Contains("sandbox allow-scripts"));
    }

    [Theory, DatabaseProviders]
    public async Task View_MissingFileOrVersion_Is404(DatabaseProvider provider)
    {
        var (portal, owner, slug) = await ArtifactWithChartAsync(provider);
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(owner.Email);

        using var noFile = await browser.Client.GetAsync($"/p/{slug}/artifacts/charts/v1/view/nothing.html");
        using var noVersion = await browser.Client.GetAsync($"/p/{slug}/artifacts/charts/v9/view/plots/loss%20curve.html");

        Assert.Equal(HttpStatusCode.NotFound, noFile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noVersion.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task View_Token_IsNotAcceptedLikeOnOtherPages(DatabaseProvider provider)
    {
        var (portal, owner, slug) = await ArtifactWithChartAsync(provider);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read)).Token);

        using var response = await client.GetAsync($"/p/{slug}/artifacts/charts/v1/view/plots/loss%20curve.html");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(Chart, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<(PortalWebApplicationFactory Portal, TestUser Owner, string Slug)> ArtifactWithChartAsync(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("view-owner");
        var project = await portal.CreateProjectAsync(owner, ProjectVisibility.Private);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "charts", "Visualization");
        await client.UploadVersionAsync(project.Slug, "charts", new Dictionary<string, byte[]> { ["plots/loss curve.html"] = Chart });
        return (portal, owner, project.Slug);
    }
}
