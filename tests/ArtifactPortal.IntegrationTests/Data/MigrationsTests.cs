using ArtifactPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PostgreSqlMigrations = ArtifactPortal.Migrations.PostgreSql;
using SqliteMigrations = ArtifactPortal.Migrations.Sqlite;
using SqlServerMigrations = ArtifactPortal.Migrations.SqlServer;

namespace ArtifactPortal.IntegrationTests.Data;

public sealed class MigrationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Model_ComparedWithLatestMigration_HasNoPendingChanges(DatabaseProvider provider)
    {
        // The same design-time factories dotnet-ef uses; none of them connects to a server for this.
        IDesignTimeDbContextFactory<PortalDbContext> factory = provider switch
        {
            DatabaseProvider.Sqlite => new SqliteMigrations.DesignTimeDbContextFactory(),
            DatabaseProvider.SqlServer => new SqlServerMigrations.DesignTimeDbContextFactory(),
            DatabaseProvider.Postgres => new PostgreSqlMigrations.DesignTimeDbContextFactory(),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
        using var db = factory.CreateDbContext([]);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model has changes without a migration: run ./build.sh migrations add <Name>.");
    }
}
