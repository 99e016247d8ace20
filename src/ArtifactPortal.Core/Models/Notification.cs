namespace ArtifactPortal.Core.Models;

/// <summary>An in-app notification for one user (the bell); also mailed when SMTP is configured.</summary>
public class Notification
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public Guid? ProjectId { get; set; }

    /// <summary>Stable kind, e.g. "promotion.requested", "promotion.approved".</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    public required string Url { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>A project's webhook: an HMAC-SHA256-signed JSON POST on promotion and alias events.</summary>
public class Webhook
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public required string Url { get; set; }

    /// <summary>The signing secret, protected with ASP.NET Core data protection (keys shared in the database).</summary>
    public required string ProtectedSecret { get; set; }

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedByUserId { get; set; }
}

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first attempt or for a retry.</summary>
    Pending,
    Succeeded,
    Failed,

    /// <summary>An attempt is in flight: claimed by one worker, so no other sends it at the same time.</summary>
    Sending,
}

/// <summary>One event sent (or being retried) to one webhook; the delivery log page lists them.</summary>
public class WebhookDelivery
{
    public Guid Id { get; set; }

    public Guid WebhookId { get; set; }

    public required string Event { get; set; }

    public required string PayloadJson { get; set; }

    public WebhookDeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public int? ResponseStatus { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }
}
