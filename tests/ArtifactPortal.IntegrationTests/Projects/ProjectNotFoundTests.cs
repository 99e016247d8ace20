using System.Net;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Projects;

/// <summary>Nobody outside a private project can tell it from one that does not exist.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ProjectNotFoundTests(PortalFixture fixture)
{
    private static readonly string[] Paths = ["/p/{0}", "/p/{0}/settings", "/p/{0}/audit", "/p/{0}/audit.csv", "/p/{0}/audit.csv?action=project.created"];

    [Theory, DatabaseProviders]
    public async Task Get_PrivateProjectAsOutsider_AnswersExactlyLikeAMissingProject(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var secret = await portal.CreateProjectAsync(owner, "Secret sauce");
        var missing = ProjectScenario.NewSlug("secret-sauce");
        using var outsider = portal.CreateBrowser();
        await outsider.RegisterAndSignInAsync(PortalBrowser.NewEmail("outsider"));

        foreach (var path in Paths)
        {
            using var forSecret = await outsider.Client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, secret));
            using var forMissing = await outsider.Client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, missing));

            Assert.Equal(HttpStatusCode.NotFound, forSecret.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, forMissing.StatusCode);
            Assert.Equal(forMissing.Content.Headers.ContentType?.ToString(), forSecret.Content.Headers.ContentType?.ToString());
            var secretPage = await PortalBrowser.ParseAsync(forSecret);
            var missingPage = await PortalBrowser.ParseAsync(forMissing);
            Assert.Equal(missingPage.Text, secretPage.Text);
            Assert.DoesNotContain("Secret sauce", secretPage.Text, StringComparison.Ordinal);
        }
    }

    [Theory, DatabaseProviders]
    public async Task Get_InternalProjectAsOutsider_OpensOverviewButNotSettingsOrAuditLog(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var slug = await portal.CreateProjectAsync(owner, "Open data", ProjectVisibility.Internal, description: "Read **me**");
        using var reader = portal.CreateBrowser();
        await reader.RegisterAndSignInAsync(PortalBrowser.NewEmail("reader"));

        var overview = await reader.OpenAsync($"/p/{slug}");
        var settings = await reader.OpenAsync($"/p/{slug}/settings");
        var audit = await reader.OpenAsync($"/p/{slug}/audit");
        using var csv = await reader.Client.GetAsync($"/p/{slug}/audit.csv");

        Assert.Equal("me", overview.Document.QuerySelector("[data-testid=project-description] strong")?.TextContent);
        Assert.Contains("Viewer (internal project)", overview.Text, StringComparison.Ordinal);
        Assert.NotNull(settings.Document.QuerySelector("[data-testid=not-allowed]"));
        Assert.Null(settings.Document.QuerySelector("[data-testid=settings-name]"));
        Assert.NotNull(audit.Document.QuerySelector("[data-testid=not-allowed]"));
        Assert.Equal(HttpStatusCode.Forbidden, csv.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task Get_AuditCsvSignedOut_RedirectsToLogin(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();

        using var response = await browser.Client.GetAsync($"/p/{ProjectScenario.NewSlug("any")}/audit.csv");

        Assert.Equal("/Account/Login", browser.RedirectTarget(response)?.AbsolutePath);
    }

    [Theory, DatabaseProviders]
    public async Task GetOverviewAsync_Outsider_ThrowsNotFound(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var outsider = await PortalUsers.CreateAsync(portal, "outsider");
        var slug = await portal.CreateProjectAsync(owner, "Hidden");

        await Assert.ThrowsAsync<ProjectNotFoundException>(() => portal.Projects().GetOverviewAsync(outsider, slug));
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => portal.Projects().UpdateSettingsAsync(outsider, slug, new ProjectSettings("x", slug, "", ProjectVisibility.Private)));
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => portal.Projects().DeleteAsync(outsider, slug, "Hidden"));
    }
}
