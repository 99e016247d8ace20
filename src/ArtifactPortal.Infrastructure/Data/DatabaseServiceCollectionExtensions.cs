using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "Default";

    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ConnectionString(configuration, options.Provider);

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
