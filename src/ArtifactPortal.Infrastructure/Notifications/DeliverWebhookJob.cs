using System.Text;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Notifications;

/// <summary>
/// POSTs one delivery's JSON to its webhook, signed with the webhook's secret. A failed attempt is recorded and the next one
/// scheduled after <see cref="WebhookOptions.RetryDelays"/>; after the last it is marked failed. The promotion it announces
/// committed long before, so a dead endpoint never affects it.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed partial class DeliverWebhookJob(
    IPortalDbContextFactory dbFactory,
    IHttpClientFactory httpClients,
    IDataProtectionProvider dataProtection,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<DeliverWebhookJob> logger)
{
    public const string HttpClientName = "webhooks";
    public const string SecretPurpose = "ArtifactPortal.Webhooks.Secret";

    public async Task RunAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var observed = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending)
            .Select(d => (int?)d.Attempts).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        // Claim the attempt: of two workers handed the same delivery (a retry racing a re-queued job), one sends, and
        // while it sends the delivery is not Pending, so nobody starts the next attempt on top of it.
        var now = time.GetUtcNow();
        var claimed = observed is { } attempts && await db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending && d.Attempts == attempts)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Sending).SetProperty(d => d.Attempts, attempts + 1).SetProperty(d => d.LastAttemptAt, now),
                cancellationToken)
            .ConfigureAwait(false) == 1;
        if (!claimed)
        {
            return;
        }

        var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId, cancellationToken).ConfigureAwait(false);
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId, cancellationToken).ConfigureAwait(false);
        if (webhook is null || !webhook.Active)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.Error = "The webhook was removed or disabled.";
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var secret = dataProtection.CreateProtector(SecretPurpose).Unprotect(webhook.ProtectedSecret);
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
            {
                Content = new StringContent(delivery.PayloadJson, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Compute(secret, delivery.PayloadJson));
            request.Headers.Add("X-ArtifactPortal-Event", delivery.Event);
            request.Headers.Add("X-ArtifactPortal-Delivery", delivery.Id.ToString());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
            delivery.ResponseStatus = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                delivery.Status = WebhookDeliveryStatus.Succeeded;
                delivery.Error = null;
            }
            else
            {
                RecordFailure(delivery, $"The endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Security.Cryptography.CryptographicException
                                       && !cancellationToken.IsCancellationRequested)
        {
            RecordFailure(delivery, e.Message);
        }

        // Saved before the retry is scheduled, so the retry finds the delivery Pending; a process that stops in between
        // leaves it Pending with no job, which RequeueStalledWebhooksJob picks up once the retry is overdue.
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        if (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            var id = delivery.Id;
            jobs.Schedule<DeliverWebhookJob>(job => job.RunAsync(id, CancellationToken.None), options.Value.RetryDelays[delivery.Attempts - 1]);
        }
    }

    private void RecordFailure(WebhookDelivery delivery, string error)
    {
        delivery.Error = error;
        if (delivery.Attempts > options.Value.RetryDelays.Length)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            LogGaveUp(logger, delivery.Id, delivery.Attempts, error);
            return;
        }

        delivery.Status = WebhookDeliveryStatus.Pending;
    }

    [LoggerMessage(LogLevel.Warning, "Webhook delivery {DeliveryId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid deliveryId, int attempts, string error);
}
