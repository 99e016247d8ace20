using ArtifactPortal.Core.Notifications;
using Hangfire;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>Queues one Hangfire job per webhook delivery and per notification email, after the change committed.</summary>
internal sealed class HangfireAnnouncementDispatcher(IBackgroundJobClient jobs) : IAnnouncementDispatcher
{
    public Task DispatchAsync(Announcement announcement, CancellationToken cancellationToken)
    {
        foreach (var id in announcement.WebhookDeliveryIds)
        {
            jobs.Enqueue<DeliverWebhookJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        foreach (var id in announcement.NotificationIds)
        {
            jobs.Enqueue<SendNotificationEmailJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        return Task.CompletedTask;
    }
}
