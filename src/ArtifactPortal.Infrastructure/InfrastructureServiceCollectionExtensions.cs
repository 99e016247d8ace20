using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Evaluations;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.Infrastructure.Notifications;
using ArtifactPortal.Infrastructure.Previews;
using ArtifactPortal.Infrastructure.Statistics;
using ArtifactPortal.Infrastructure.Storage;
using ArtifactPortal.Infrastructure.Thumbnails;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    public const string DatabaseCheckName = "database";
    public const string StorageCheckName = "storage";
    public const string MigrationsCheckName = "migrations";

    /// <summary>Tag of the checks that decide whether a node may take traffic (/healthz/ready).</summary>
    public const string ReadinessTag = "ready";

    public static IServiceCollection AddPortalInfrastructure(this IServiceCollection services, IConfiguration configuration, NodeRole role)
    {
        services.AddPortalDatabase(configuration);
        services.AddSingleton<DatabaseMigrator>();
        // Hosted services start in order: the schema is migrated before the job server polls it.
        services.AddHostedService<MigrateOnStartService>();
        services.AddPortalIdentity(configuration);
        services.AddPortalJobs(configuration, role);
        services.AddPortalStorage(configuration);
        services.AddPortalPreviews();
        services.AddPortalNotifications(configuration);
        services.AddPortalStatistics();
        services.AddPortalEvaluations();
        services.AddPortalThumbnails(configuration);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseCheckName, tags: [ReadinessTag])
            .AddCheck<MigrationsHealthCheck>(MigrationsCheckName, tags: [ReadinessTag])
            .AddCheck<BlobStorageHealthCheck>(StorageCheckName, tags: [ReadinessTag]);
        return services;
    }
}
