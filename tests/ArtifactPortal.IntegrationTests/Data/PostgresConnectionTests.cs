using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ArtifactPortal.IntegrationTests.Data;

[Collection(PortalCollectionDefinition.Name)]
public sealed class PostgresConnectionTests(PortalFixture fixture)
{
    [Fact]
    public async Task PortalContexts_OnPostgres_PrepareRepeatedStatementsAndSkipTheResetOnHandBack()
    {
        var portal = await fixture.SharedPortalAsync(DatabaseProvider.Postgres);
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 6; i++)
        {
            _ = await db.Projects.CountAsync(p => p.Slug == "no-such-project");
        }

        // Prepared statements live in the server session: the connection that ran the query has one now.
        var prepared = await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_prepared_statements").SingleAsync();
        Assert.True(prepared > 0, "EF's repeated statement was planned anew each time instead of prepared.");
        Assert.True(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).NoResetOnClose);
    }

    [Fact]
    public void ContextConnectionString_SettingsInTheConfiguredString_Win()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseServiceCollectionExtensions.ContextConnectionString(
            DatabaseProvider.Postgres, "Host=db;Database=portal;Max Auto Prepare=0;No Reset On Close=false"));
        var defaults = new NpgsqlConnectionStringBuilder(DatabaseServiceCollectionExtensions.ContextConnectionString(
            DatabaseProvider.Postgres, "Host=db;Database=portal"));

        Assert.Equal((0, false), (tuned.MaxAutoPrepare, tuned.NoResetOnClose));
        Assert.Equal((64, true), (defaults.MaxAutoPrepare, defaults.NoResetOnClose));
        Assert.Equal(("db", "portal"), (defaults.Host, defaults.Database));
        Assert.Equal("Data Source=portal.db", DatabaseServiceCollectionExtensions.ContextConnectionString(DatabaseProvider.Sqlite, "Data Source=portal.db"));
    }
}
