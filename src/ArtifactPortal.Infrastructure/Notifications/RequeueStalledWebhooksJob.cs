using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>
/// The outbox's safety net: a delivery saved with its change but never queued (the process stopped between the commit and
/// the dispatch) is queued here, a few minutes later.
/// </summary>
public sealed class RequeueStalledWebhooksJob(IPortalDbContextFactory dbFactory, IBackgroundJobClient jobs, TimeProvider time)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <returns>The deliveries queued again.</returns>
    public async Task<IReadOnlyList<Guid>> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - Grace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stalled = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.Attempts == 0 && d.CreatedAt < cutoff)
            .Select(d => d.Id)
            .Take(1000)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in stalled)
        {
            jobs.Enqueue<DeliverWebhookJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        return stalled;
    }
}
