using ArtifactPortal.Infrastructure.Notifications;
using Hangfire;
using Microsoft.Extensions.Hosting;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>The recurring jobs, registered in this one place when the portal starts.</summary>
public static class RecurringJobs
{
    public const string PurgeDeletedProjects = "purge-deleted-projects";
    public const string CleanUpStorage = "clean-up-storage";
    public const string VerifyBlobIntegrity = "verify-blob-integrity";
    public const string MarkStaleRuns = "mark-stale-runs";
    public const string RequeueStalledWebhooks = "requeue-stalled-webhooks";

    internal static void Register(IRecurringJobManager jobs)
    {
        // 03:17 UTC: off the hour, when few people work.
        jobs.AddOrUpdate<PurgeDeletedProjectsJob>(PurgeDeletedProjects, job => job.RunAsync(CancellationToken.None), "17 3 * * *");
        // Hourly, so expired uploads and deleted versions free their space soon; the grace period keeps it safe.
        jobs.AddOrUpdate<CleanUpStorageJob>(CleanUpStorage, job => job.RunAsync(CancellationToken.None), "41 * * * *");
        jobs.AddOrUpdate<VerifyBlobIntegrityJob>(VerifyBlobIntegrity, job => job.RunAsync(CancellationToken.None), "29 4 * * *");
        // Every minute: a dead client's run reads "killed" at most a minute after Runs:HeartbeatTimeout.
        jobs.AddOrUpdate<MarkStaleRunsJob>(MarkStaleRuns, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<RequeueStalledWebhooksJob>(RequeueStalledWebhooks, job => job.RunAsync(CancellationToken.None), "*/5 * * * *");
    }
}

/// <summary>
/// Registers <see cref="RecurringJobs"/> at start-up on nodes that run jobs (AddOrUpdate is idempotent, so several worker
/// nodes may do it; a web node leaves the schedule to them). It also creates the job client now, on every node: Hangfire takes its log provider from process-wide state when the client is built, and building it while
/// that state is this host's keeps it working when another host in the same process (a test host) is disposed later.
/// </summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager jobs, IBackgroundJobClient client, bool register) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (register)
        {
            RecurringJobs.Register(jobs);
        }

        GC.KeepAlive(client);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
