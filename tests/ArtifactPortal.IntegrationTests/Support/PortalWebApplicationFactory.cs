using ArtifactPortal.Infrastructure;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Email;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>
/// The real portal on a real database: a SQLite file in its own data directory, or its own database on the test
/// run's PostgreSQL. Disposing it removes the data directory and the database.
/// </summary>
public sealed class PortalWebApplicationFactory : WebApplicationFactory<Program>
{
    private readonly PostgresServer? _postgres;
    private readonly string? _databaseName;
    private bool _cleanedUp;

    private PortalWebApplicationFactory(DatabaseProvider provider, string? connectionString, PostgresServer? postgres, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgres = postgres;
        _databaseName = databaseName;
        DataDirectory = Directory.CreateTempSubdirectory("artifactportal-test-").FullName;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Null for SQLite: the portal uses portal.db in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; }

    public string DataDirectory { get; }

    public string SqliteDatabasePath => Path.Combine(DataDirectory, "portal.db");

    public CapturedLogs Logs { get; } = new();

    /// <summary>Extra configuration, e.g. <c>Artifacts:MaxFileSizeBytes</c>; set it before the portal starts (first client or service).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Services added after the portal's own (e.g. an in-memory telemetry exporter); set them before the portal starts.</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];

    public static PortalWebApplicationFactory ForSqlite() => new(DatabaseProvider.Sqlite, null, null, null);

    public static async Task<PortalWebApplicationFactory> ForPostgresAsync(PostgresServer postgres)
    {
        var name = $"portal_{Guid.NewGuid():N}";
        var connectionString = await postgres.CreateDatabaseAsync(name);
        return new PortalWebApplicationFactory(DatabaseProvider.Postgres, connectionString, postgres, name);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects, so tests see where they lead.</summary>
    public PortalBrowser CreateBrowser() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>Makes the database unreachable the way an outage would: the PostgreSQL database or the SQLite file is gone.</summary>
    public async Task DestroyDatabaseAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DropDatabaseAsync(_databaseName!);
            return;
        }

        // Pooled handles would keep the deleted file alive.
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(SqliteDatabasePath + suffix);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Host settings reach Program as arguments, before it reads the configuration to register services.
        builder.UseSetting(PortalDataDirectory.ConfigurationKey, DataDirectory);
        builder.UseSetting($"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}", Provider.ToString());
        builder.UseSetting($"ConnectionStrings:{DatabaseServiceCollectionExtensions.ConnectionStringName}", ConnectionString ?? "");
        builder.UseSetting($"{SmtpOptions.SectionName}:{nameof(SmtpOptions.Host)}", "");
        // Several portals run at once on two cores; one Hangfire worker each is plenty for these tests.
        builder.UseSetting("Jobs:WorkerCount", "1");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.ConfigureDbContext<PortalDbContext>(db => db.AddInterceptors(DatabaseCommands.Interceptor));
            TestServices.ForEach(configure => configure(services));
        });
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Logs);
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        // If the settings above stopped reaching the portal, it would quietly use SQLite in ./.data instead.
        using var db = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var (expectedProvider, expectedConnection) = Provider == DatabaseProvider.Sqlite
            ? ("Microsoft.EntityFrameworkCore.Sqlite", $"Data Source={SqliteDatabasePath}")
            : ("Npgsql.EntityFrameworkCore.PostgreSQL", DatabaseServiceCollectionExtensions.ContextConnectionString(Provider, ConnectionString!));
        if (db.Database.ProviderName != expectedProvider || db.Database.GetConnectionString() != expectedConnection)
        {
            host.Dispose();
            throw new InvalidOperationException(
                $"The portal runs on {db.Database.ProviderName} ({db.Database.GetConnectionString()}), not on {expectedProvider} ({expectedConnection}).");
        }

        return host;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_cleanedUp)
        {
            return;
        }

        _cleanedUp = true;
        if (_postgres is not null)
        {
            await _postgres.DropDatabaseAsync(_databaseName!);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
