using System.Data.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ArtifactPortal.Infrastructure.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "Default";

    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ContextConnectionString(options.Provider, ConnectionString(configuration, options.Provider));

        // Pooled: a page or an API call opens several short contexts, and a fresh one each time costs allocations and set-up.
        services.AddPooledDbContextFactory<PortalDbContext>(db => UseProvider(db, options.Provider, connectionString));
        services.AddSingleton<IPortalDbContextFactory, PortalDbContextFactory>();
        services.AddSingleton<IMetricStore, MetricStore>();
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>The configured connection string; the embedded default is a SQLite file in the data directory.</summary>
    public static string ConnectionString(IConfiguration configuration, DatabaseProvider provider)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(PortalDataDirectory.Resolve(configuration), "portal.db")}"
            : throw new InvalidOperationException(
                $"Database:Provider is {provider}, so ConnectionStrings:{ConnectionStringName} must be set.");
    }

    /// <summary>
    /// The connection string of the portal's own contexts. On PostgreSQL every API call runs a handful of short queries, each
    /// on a connection taken from the pool and handed back: by default Npgsql plans each statement anew and sends DISCARD ALL
    /// on every hand-back, which cost as much server CPU as the queries themselves. The portal keeps no session state, so
    /// statements are prepared once per connection and the reset is skipped. A setting in the configured string wins.
    /// </summary>
    public static string ContextConnectionString(DatabaseProvider provider, string connectionString)
    {
        if (provider != DatabaseProvider.Postgres)
        {
            return connectionString;
        }

        // Npgsql's own builder reports every keyword it knows as present; the plain one sees only what was written.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains(nameof(builder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!written.Contains(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        // Members of a soft-deleted project are filtered through the project itself; EF's warning about that is expected.
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
        return provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsAssembly(MigrationsAssembly(provider))),
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString, o => o.MigrationsAssembly(MigrationsAssembly(provider))),
            DatabaseProvider.Postgres => builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(MigrationsAssembly(provider))),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
    }

    /// <summary>
    /// Options for dotnet-ef: the provider plus the IdentityOptions the model depends on, so a design-time
    /// model equals the runtime one.
    /// </summary>
    public static DbContextOptions<PortalDbContext> DesignTimeOptions(DatabaseProvider provider, string connectionString)
    {
        var services = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = PortalDbContext.IdentitySchemaVersion)
            .BuildServiceProvider();
        var builder = new DbContextOptionsBuilder<PortalDbContext>().UseApplicationServiceProvider(services);
        UseProvider(builder, provider, connectionString);
        return builder.Options;
    }

    public static string MigrationsAssembly(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "ArtifactPortal.Migrations.Sqlite",
        DatabaseProvider.SqlServer => "ArtifactPortal.Migrations.SqlServer",
        DatabaseProvider.Postgres => "ArtifactPortal.Migrations.PostgreSql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };
}
