using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Infrastructure.Data;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire with storage that follows the database provider; a job server only on nodes that run jobs.</summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration, NodeRole role)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        var jobs = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        var connectionString = DatabaseServiceCollectionExtensions.ConnectionString(configuration, provider);

        services.AddHangfire((serviceProvider, config) =>
        {
            config.UseLogProvider(new HostLogProvider(serviceProvider.GetRequiredService<ILoggerFactory>()));
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseFilter(new AutomaticRetryAttribute { Attempts = jobs.RetryAttempts });
            switch (provider)
            {
                case DatabaseProvider.Sqlite:
                    // A file of its own beside the portal's database: Hangfire's polling never blocks the portal's writes.
                    config.UseSQLiteStorage(
                        Path.Combine(PortalDataDirectory.Resolve(configuration), "hangfire.db"),
                        new SQLiteStorageOptions { QueuePollInterval = jobs.PollInterval });
                    break;
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(connectionString, new SqlServerStorageOptions
                    {
                        QueuePollInterval = jobs.PollInterval,
                        SlidingInvisibilityTimeout = jobs.InvisibilityTimeout,
                        PrepareSchemaIfNecessary = true,
                    });
                    break;
                case DatabaseProvider.Postgres:
                    config.UsePostgreSqlStorage(
                        o => o.UseNpgsqlConnection(connectionString),
                        new PostgreSqlStorageOptions
                        {
                            QueuePollInterval = jobs.PollInterval,
                            // Hangfire.PostgreSql's default hides a killed worker's job for 30 minutes; sliding keeps a
                            // short timeout safe for long jobs (a live worker renews it).
                            InvisibilityTimeout = jobs.InvisibilityTimeout,
                            UseSlidingInvisibilityTimeout = true,
                            PrepareSchemaIfNecessary = true,
                        });
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(configuration), provider, "Unknown database provider.");
            }
        });

        services.AddTransient<PurgeDeletedProjectsJob>();
        services.AddTransient<CleanUpStorageJob>();
        services.AddTransient<VerifyBlobIntegrityJob>();
        services.AddTransient<MarkStaleRunsJob>();
        services.AddOptions<RunsOptions>().Bind(configuration.GetSection(RunsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<AnalysisJobRunner>();
        services.AddTransient<ComputeStatisticsJob>();
        services.AddTransient<CreateThumbnailsJob>();
        services.AddSingleton<IAnalysisJobScheduler, HangfireAnalysisJobScheduler>();
        services.AddHostedService(provider => new RecurringJobsRegistration(
            provider.GetRequiredService<IRecurringJobManager>(), provider.GetRequiredService<IBackgroundJobClient>(), role.RunsJobs()));

        // A web node only enqueues: the job client writes to the shared storage, a worker node's server runs the job.
        if (role.RunsJobs())
        {
            services.AddSingleton<JobTelemetryFilter>();
            services.AddHangfireServer((serviceProvider, options) =>
            {
                options.WorkerCount = jobs.WorkerCount;
                options.Queues = jobs.EffectiveQueues;
                options.FilterProvider = new JobFilterProviderCollection(
                    JobFilterProviders.Providers, new JobFilterCollection { serviceProvider.GetRequiredService<JobTelemetryFilter>() });
            });
        }

        return services;
    }
}

internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var errors = options.Errors().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
