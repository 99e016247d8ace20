using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// Everything the portal tests share for one run: the PostgreSQL server and one running portal per database provider.
/// Hangfire keeps process-wide state, so hosts are shared and all portal tests sit in one collection.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    /// <summary>The first account on each shared portal, so that accounts the tests register are never administrators.</summary>
    public const string OwnerEmail = "owner@example.com";

    private readonly Dictionary<DatabaseProvider, PortalWebApplicationFactory> _shared = [];
    private Task<PostgresServer>? _postgres;

    /// <summary>Started by the first test that needs it; a failure to start fails every PostgreSQL test, never skips it.</summary>
    public Task<PostgresServer> PostgresAsync() => _postgres ??= PostgresServer.StartAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The running portal that tests on <paramref name="provider"/> share; its owner is a site administrator.</summary>
    public async Task<PortalWebApplicationFactory> SharedPortalAsync(DatabaseProvider provider)
    {
        // Tests in the collection run one at a time, so no lock is needed.
        if (!_shared.TryGetValue(provider, out var factory))
        {
            factory = await NewPortalAsync(provider);
            _shared[provider] = factory;
            await CreateOwnerAsync(factory);
        }

        return factory;
    }

    /// <summary>A portal on an empty database of its own, for tests that need an empty site or destroy the database.</summary>
    public async Task<PortalWebApplicationFactory> NewPortalAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => PortalWebApplicationFactory.ForSqlite(),
        DatabaseProvider.Postgres => await PortalWebApplicationFactory.ForPostgresAsync(await PostgresAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "The integration tests run on SQLite and PostgreSQL."),
    };

    public async Task DisposeAsync()
    {
        foreach (var factory in _shared.Values)
        {
            await factory.DisposeAsync();
        }

        if (_postgres is { IsCompletedSuccessfully: true })
        {
            await (await _postgres).DisposeAsync();
        }
    }

    private static async Task CreateOwnerAsync(PortalWebApplicationFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var owner = new PortalUser { UserName = OwnerEmail, Email = OwnerEmail, EmailConfirmed = true };
        var created = await users.CreateAsync(owner, PortalBrowser.TestPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True(await users.IsInRoleAsync(owner, PortalRoles.Administrator), "The shared portal's first account is not an administrator.");
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollectionDefinition : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal";
}
