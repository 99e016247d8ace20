using System.Net;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Features.Admin;

namespace ArtifactPortal.IntegrationTests.Admin;

[Collection(PortalCollectionDefinition.Name)]
public sealed class JobsDashboardEndpointsTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Get_Anonymous_RedirectsToLogin(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();

        using var response = await browser.Client.GetAsync(JobsDashboardEndpoints.Path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", browser.RedirectTarget(response)?.AbsolutePath);
    }

    [Theory, DatabaseProviders]
    public async Task Get_AsSignedInNonAdministrator_ReturnsForbidden(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        await browser.RegisterAndSignInAsync(PortalBrowser.NewEmail("member"));

        using var response = await browser.Client.GetAsync(JobsDashboardEndpoints.Path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task Get_AsAdministrator_ShowsDashboard(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);

        var dashboard = await browser.OpenAsync(JobsDashboardEndpoints.Path);

        Assert.Contains("ArtifactPortal jobs", dashboard.Document.Title ?? "", StringComparison.Ordinal);
    }
}
