using System.Net;
using System.Text.Json;
using ArtifactPortal.Infrastructure;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    [Theory, DatabaseProviders]
    public async Task Ready_WhenDatabaseMigrationsAndStorageWork_Returns200(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var client = portal.CreateClient();

        using var response = await client.GetAsync(HealthEndpoints.ReadyPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("failing").GetArrayLength());
        Assert.Equal("Healthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.MigrationsCheckName));
    }

    [Theory, DatabaseProviders]
    public async Task Ready_WhenAMigrationIsPending_Returns503NamingMigrations(DatabaseProvider provider)
    {
        await using var portal = await fixture.NewPortalAsync(provider);
        using var client = portal.CreateClient();
        using (var before = await client.GetAsync(HealthEndpoints.ReadyPath))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // As if this build were deployed next to a database that an older build migrated.
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var latest = (await db.Database.GetAppliedMigrationsAsync()).Last();
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {0}", latest));
        }

        using var response = await client.GetAsync(HealthEndpoints.ReadyPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal([InfrastructureServiceCollectionExtensions.MigrationsCheckName], Failing(body));
        Assert.Equal("Healthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.DatabaseCheckName));
        using var live = await client.GetAsync(HealthEndpoints.LivePath);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_WhenBlobStoreIsGone_Returns503NamingStorage()
    {
        await using var portal = await fixture.NewPortalAsync(DatabaseProvider.Sqlite);
        using var client = portal.CreateClient();
        using (var before = await client.GetAsync(HealthEndpoints.ReadyPath))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // A file where the blob folder was: nothing can be written below it, not even by root (a lost volume mount).
        var blobs = Path.Combine(portal.DataDirectory, "blobs");
        Directory.Delete(blobs, recursive: true);
        await File.WriteAllTextAsync(blobs, "not a folder");

        using var response = await client.GetAsync(HealthEndpoints.ReadyPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([InfrastructureServiceCollectionExtensions.StorageCheckName], Failing(body));
        Assert.Equal("Healthy", CheckStatus(body, InfrastructureServiceCollectionExtensions.DatabaseCheckName));
    }

    [Theory, DatabaseProviders]
    public async Task Live_WhenDatabaseIsGone_StillReturns200WithoutChecks(DatabaseProvider provider)
    {
        await using var portal = await fixture.NewPortalAsync(provider);
        using var client = portal.CreateClient();
        using (var before = await client.GetAsync(HealthEndpoints.ReadyPath))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await portal.DestroyDatabaseAsync();
        using var ready = await client.GetAsync(HealthEndpoints.ReadyPath);
        using var live = await client.GetAsync(HealthEndpoints.LivePath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var readyBody = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Contains(InfrastructureServiceCollectionExtensions.DatabaseCheckName, Failing(readyBody));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var liveBody = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", liveBody.RootElement.GetProperty("status").GetString());
        Assert.Empty(liveBody.RootElement.GetProperty("checks").EnumerateObject());
    }

    private static string[] Failing(JsonDocument body) =>
        [.. body.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString() ?? "")];

    private static string? CheckStatus(JsonDocument body, string check) =>
        body.RootElement.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();
}
