namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>Section "Webhooks": how deliveries are retried before they are marked failed.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Waits between attempts; one more attempt than entries. Default: 6 attempts over about 1.5 hours.</summary>
    public TimeSpan[] RetryDelays { get; set; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(60)];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
