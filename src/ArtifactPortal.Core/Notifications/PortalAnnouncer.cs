using System.Text.Json;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;

namespace ArtifactPortal.Core.Notifications;

/// <summary>The events people and webhooks hear about; webhook payloads carry the name as <c>event</c>.</summary>
public static class PortalEvents
{
    public const string PromotionRequested = "promotion.requested";
    public const string PromotionApprovalAdded = "promotion.approval_added";
    public const string PromotionChangesRequested = "promotion.changes_requested";
    public const string PromotionCommented = "promotion.commented";
    public const string PromotionApproved = "promotion.approved";
    public const string PromotionRejected = "promotion.rejected";
    public const string AliasChanged = "alias.changed";

    /// <summary>Webhooks get these (the "request created, approved, rejected and alias change"); people get all.</summary>
    public static readonly IReadOnlySet<string> ForWebhooks = new HashSet<string>
    {
        PromotionRequested, PromotionApproved, PromotionRejected, AliasChanged,
    };
}

/// <summary>What was written in the same transaction as the change and must be sent after it commits.</summary>
public sealed record Announcement(IReadOnlyList<Guid> NotificationIds, IReadOnlyList<Guid> WebhookDeliveryIds)
{
    public static readonly Announcement None = new([], []);

    public Announcement Merge(Announcement other) => new([.. NotificationIds, .. other.NotificationIds], [.. WebhookDeliveryIds, .. other.WebhookDeliveryIds]);
}

/// <summary>Sends an <see cref="Announcement"/> after its transaction committed (mail, webhook POSTs); Infrastructure queues jobs.</summary>
public interface IAnnouncementDispatcher
{
    Task DispatchAsync(Announcement announcement, CancellationToken cancellationToken);
}

/// <summary>
/// An outbox: notifications and webhook deliveries are rows added to the caller's unit of work, so they exist exactly when
/// the change they announce was saved; <see cref="DispatchAsync"/> then queues the sending.
/// </summary>
public sealed class PortalAnnouncer(IAnnouncementDispatcher dispatcher, TimeProvider time)
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public Announcement Add(
        IPortalDbContext db, Guid projectId, string eventName, IEnumerable<string> recipients, string title, string url, object? payload)
    {
        var now = time.GetUtcNow();
        var notifications = new List<Guid>();
        foreach (var userId in recipients.Distinct())
        {
            var notification = new Notification
            {
                Id = Guid.CreateVersion7(now),
                UserId = userId,
                ProjectId = projectId,
                Kind = eventName,
                Title = title,
                Url = url,
                CreatedAt = now,
            };
            db.Notifications.Add(notification);
            notifications.Add(notification.Id);
        }

        var deliveries = new List<Guid>();
        if (payload is not null && PortalEvents.ForWebhooks.Contains(eventName))
        {
            var body = JsonSerializer.Serialize(new { @event = eventName, occurredAt = now, url, data = payload }, PayloadJson);
            foreach (var webhookId in db.Webhooks.Where(w => w.ProjectId == projectId && w.Active).Select(w => w.Id).ToList())
            {
                var delivery = new WebhookDelivery
                {
                    Id = Guid.CreateVersion7(now),
                    WebhookId = webhookId,
                    Event = eventName,
                    PayloadJson = body,
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = now,
                };
                db.WebhookDeliveries.Add(delivery);
                deliveries.Add(delivery.Id);
            }
        }

        return new Announcement(notifications, deliveries);
    }

    public Task DispatchAsync(Announcement announcement, CancellationToken cancellationToken) =>
        announcement.NotificationIds.Count + announcement.WebhookDeliveryIds.Count == 0
            ? Task.CompletedTask
            : dispatcher.DispatchAsync(announcement, cancellationToken);
}
