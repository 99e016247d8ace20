using System.Net;
using System.Text.Json;
using ArtifactPortal.Infrastructure;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Api;

[Collection(PortalCollectionDefinition.Name)]
public sealed class HealthEndpointsTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Get_WhenDatabaseAndStorageWork_ReturnsHealthy(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var client = portal.CreateClient();

        using var response = await client.GetAsync(HealthEndpoints.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.DatabaseCheckName));
        Assert.Equal("Healthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.StorageCheckName));
    }

    [Theory, DatabaseProviders]
    public async Task Get_WhenDatabaseIsGone_Returns503(DatabaseProvider provider)
    {
        await using var portal = await fixture.NewPortalAsync(provider);
        using var client = portal.CreateClient();
        using (var before = await client.GetAsync(HealthEndpoints.Path))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await portal.DestroyDatabaseAsync();
        using var response = await client.GetAsync(HealthEndpoints.Path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.DatabaseCheckName));
        Assert.Equal("Healthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.StorageCheckName));
    }

    private static string? CheckStatus(JsonDocument body, string check) =>
        body.RootElement.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();
}
