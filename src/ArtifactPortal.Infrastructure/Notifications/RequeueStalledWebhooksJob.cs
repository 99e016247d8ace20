using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>
/// The outbox's safety net, run every few minutes. It queues again a delivery that:
/// <list type="bullet">
/// <item>was saved with its change but never queued (the process stopped between the commit and the dispatch);</item>
/// <item>is still Sending long after its time-out (the worker died mid-attempt);</item>
/// <item>failed an attempt but its retry is long overdue (the process stopped before scheduling it).</item>
/// </list>
/// The grace period keeps it clear of attempts in flight and of retries about to run; the claim in
/// <see cref="DeliverWebhookJob"/> settles any race that is left.
/// </summary>
public sealed class RequeueStalledWebhooksJob(
    IPortalDbContextFactory dbFactory,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private const int BatchSize = 1000;

    /// <returns>The deliveries queued again.</returns>
    public async Task<IReadOnlyList<Guid>> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var createdBefore = now - Grace;
        var attemptedBefore = now - Grace - options.Value.Timeout;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => (d.Status == WebhookDeliveryStatus.Pending && d.Attempts == 0 && d.CreatedAt < createdBefore)
                        || (d.Status == WebhookDeliveryStatus.Pending && d.Attempts > 0 && d.LastAttemptAt < attemptedBefore)
                        || (d.Status == WebhookDeliveryStatus.Sending && d.LastAttemptAt < attemptedBefore))
            // Oldest first: without an order a batch is whatever the database returns first, and could be the same one each run.
            .OrderBy(d => d.CreatedAt)
            .Select(d => new { d.Id, d.Status, d.Attempts, d.LastAttemptAt })
            .Take(BatchSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var stalled = new List<Guid>();
        foreach (var d in candidates)
        {
            if (d.Status == WebhookDeliveryStatus.Pending && d.Attempts > 0 && d.LastAttemptAt + RetryDelayAfter(d.Attempts) >= attemptedBefore)
            {
                continue; // its retry is scheduled and not due yet
            }

            // An abandoned attempt goes back to Pending, keeping its number, so the next claim counts it.
            var abandoned = d.Status == WebhookDeliveryStatus.Sending;
            if (abandoned && await db.WebhookDeliveries
                    .Where(x => x.Id == d.Id && x.Status == WebhookDeliveryStatus.Sending && x.Attempts == d.Attempts)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, WebhookDeliveryStatus.Pending), cancellationToken)
                    .ConfigureAwait(false) == 0)
            {
                continue; // it finished meanwhile
            }

            jobs.Enqueue<DeliverWebhookJob>(job => job.RunAsync(d.Id, CancellationToken.None));
            stalled.Add(d.Id);
        }

        return stalled;
    }

    private TimeSpan RetryDelayAfter(int attempts)
    {
        var delays = options.Value.RetryDelays;
        return attempts <= delays.Length ? delays[attempts - 1] : TimeSpan.Zero;
    }
}
