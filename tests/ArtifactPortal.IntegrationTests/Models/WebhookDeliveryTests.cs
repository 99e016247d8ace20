using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Notifications;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.IntegrationTests.Models;

[Collection(PortalCollectionDefinition.Name)]
public sealed class WebhookDeliveryTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Promotion_WithAWebhook_PostsSignedJsonForTheRequestAndTheAliasMove(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync(HttpStatusCode.OK);
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var created = await AddWebhookAsync(s, receiver.Url);

        var request = await s.RequestOkAsync(s.Editor, 1);
        (await s.ReviewAsync(s.Maintainer, request.Request.Number)).Dispose();
        var deliveries = await DeliverUntilAsync(s, WebhookDeliveryStatus.Succeeded);
        var listed = await s.Maintainer.GetStringAsync($"{s.ProjectUrl}/webhooks");

        // Each event once: the job is run by hand here while Hangfire runs it too, and the claim lets one of them send.
        Assert.Equal([PortalEvents.AliasChanged, PortalEvents.PromotionApproved, PortalEvents.PromotionRequested],
            receiver.Received.Select(r => r.Event).Order(StringComparer.Ordinal).ToArray());
        Assert.All(receiver.Received, r => Assert.Equal(WebhookSignature.Compute(created.Secret, r.Body), r.Signature));
        Assert.Equal(43, created.Secret.Length); // 32 random bytes, base64url
        Assert.DoesNotContain(created.Secret, listed, StringComparison.Ordinal);
        Assert.Contains("\"lastDeliveryStatus\":\"succeeded\"", listed, StringComparison.Ordinal);
        using var approved = JsonDocument.Parse(receiver.Received.Single(r => r.Event == PortalEvents.PromotionApproved).Body);
        Assert.Equal("production", approved.RootElement.GetProperty("data").GetProperty("alias").GetString());
        Assert.Equal(1, approved.RootElement.GetProperty("data").GetProperty("version").GetInt32());
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Succeeded, d.Status));
    }

    [Theory, DatabaseProviders]
    public async Task Webhook_EndpointDown_IsRetriedThenMarkedFailed_AndThePromotionStands(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync(HttpStatusCode.ServiceUnavailable);
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        await AddWebhookAsync(s, receiver.Url);
        var request = await s.RequestOkAsync(s.Editor, 1);
        (await s.ReviewAsync(s.Maintainer, request.Request.Number)).Dispose();

        // Default policy: 1 attempt + 5 retries; the job is run by hand here instead of waiting for Hangfire's schedule.
        var deliveries = await DeliverUntilAsync(s, WebhookDeliveryStatus.Failed);

        Assert.All(deliveries, d =>
        {
            Assert.Equal(WebhookDeliveryStatus.Failed, d.Status);
            Assert.Equal(6, d.Attempts);
            Assert.Equal(503, d.ResponseStatus);
        });
        Assert.Equal(1, await s.HolderAsync());
        Assert.Equal("approved", (await s.GetAsync(request.Request.Number)).Request.Status);
    }

    [Theory, DatabaseProviders]
    public async Task RequeueStalledWebhooks_DeliveryNeverQueued_IsQueuedAfterTheGracePeriodOnly(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync(HttpStatusCode.OK);
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var webhookId = (await AddWebhookAsync(s, receiver.Url)).Id;
        var stalled = Guid.NewGuid();
        var fresh = Guid.NewGuid();
        await s.Portal.ChangeDatabaseAsync(db =>
        {
            db.WebhookDeliveries.Add(Delivery(stalled, webhookId, DateTimeOffset.UtcNow - RequeueStalledWebhooksJob.Grace - TimeSpan.FromMinutes(1)));
            db.WebhookDeliveries.Add(Delivery(fresh, webhookId, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        });

        var queued = await s.Portal.Service<RequeueStalledWebhooksJob>().RunAsync(CancellationToken.None);

        Assert.Contains(stalled, queued);
        Assert.DoesNotContain(fresh, queued);
    }

    [Theory, DatabaseProviders]
    public async Task RequeueStalledWebhooks_AttemptAbandonedByADeadWorker_IsQueued_AttemptsInFlightOrAwaitingRetryAreNot(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync(HttpStatusCode.OK);
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var webhookId = (await AddWebhookAsync(s, receiver.Url)).Id;
        var options = s.Portal.Service<IOptions<WebhookOptions>>().Value;
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromDays(1);
        var abandoned = Guid.NewGuid();
        var inFlight = Guid.NewGuid();
        var waitingForRetry = Guid.NewGuid();
        await s.Portal.ChangeDatabaseAsync(db =>
        {
            // Attempt 1 claimed a day ago and never finished: the worker died mid-attempt.
            db.WebhookDeliveries.Add(Delivery(abandoned, webhookId, longAgo, attempts: 1, lastAttemptAt: longAgo, WebhookDeliveryStatus.Sending));
            // Attempt 1 claimed a moment ago: it is still sending.
            db.WebhookDeliveries.Add(Delivery(inFlight, webhookId, longAgo, attempts: 1, lastAttemptAt: DateTimeOffset.UtcNow, WebhookDeliveryStatus.Sending));
            // Attempt 3 failed recently enough that its scheduled retry (delay 2) is not due yet.
            var recent = DateTimeOffset.UtcNow - RequeueStalledWebhooksJob.Grace - options.Timeout - TimeSpan.FromSeconds(1);
            db.WebhookDeliveries.Add(Delivery(waitingForRetry, webhookId, longAgo, attempts: 3, lastAttemptAt: recent));
            return Task.CompletedTask;
        });

        var queued = await s.Portal.Service<RequeueStalledWebhooksJob>().RunAsync(CancellationToken.None);

        Assert.Equal([abandoned], queued.Where(id => id == abandoned || id == inFlight || id == waitingForRetry));
        var statuses = await s.Portal.QueryAsync(db => db.WebhookDeliveries.Where(d => d.Id == abandoned || d.Id == inFlight)
            .ToDictionaryAsync(d => d.Id, d => (d.Status, d.Attempts)));
        // Requeued: Pending with attempt 1 behind it, or already claimed by the portal's worker as attempt 2 (never 1 again).
        (WebhookDeliveryStatus, int)[] requeued =
            [(WebhookDeliveryStatus.Pending, 1), (WebhookDeliveryStatus.Sending, 2), (WebhookDeliveryStatus.Succeeded, 2)];
        Assert.Contains(statuses[abandoned], requeued);
        Assert.Equal((WebhookDeliveryStatus.Sending, 1), statuses[inFlight]);
    }

    private static WebhookDelivery Delivery(
        Guid id,
        Guid webhookId,
        DateTimeOffset createdAt,
        int attempts = 0,
        DateTimeOffset? lastAttemptAt = null,
        WebhookDeliveryStatus status = WebhookDeliveryStatus.Pending) => new()
        {
            Id = id,
            WebhookId = webhookId,
            Event = PortalEvents.AliasChanged,
            PayloadJson = "{}",
            Status = status,
            Attempts = attempts,
            LastAttemptAt = lastAttemptAt,
            CreatedAt = createdAt,
        };

    [Theory, DatabaseProviders]
    public async Task Webhooks_EditorsAndBadUrls_AreRefused(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var created = await AddWebhookAsync(s, "https://hooks.example.com/portal");
        var url = $"{s.ProjectUrl}/webhooks";

        using var editorList = await s.Editor.GetAsync(url);
        using var editorCreate = await s.Editor.PostAsJsonAsync(url, new ApiWebhookCreate("https://evil.example.com/"));
        using var editorDelete = await s.Editor.DeleteAsync($"{url}/{created.Id}");
        using var editorDisable = await s.Editor.PatchAsJsonAsync($"{url}/{created.Id}", new ApiWebhookUpdate(false));
        using var emptyPatch = await s.Maintainer.PatchAsJsonAsync($"{url}/{created.Id}", new ApiWebhookUpdate(null));
        using var editorLog = await s.Editor.GetAsync($"{url}/{created.Id}/deliveries");
        using var editorRedeliver = await s.Editor.PostAsync($"{url}/{created.Id}/deliveries/{Guid.NewGuid()}/redeliver", null);
        using var relative = await s.Maintainer.PostAsJsonAsync(url, new ApiWebhookCreate("/hook"));
        using var ftp = await s.Maintainer.PostAsJsonAsync(url, new ApiWebhookCreate("ftp://hooks.example.com/"));

        Assert.All([editorList, editorCreate, editorDelete, editorDisable, editorLog, editorRedeliver],
            r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, emptyPatch.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, relative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ftp.StatusCode);
        var listed = await s.Maintainer.GetFromJsonAsync<List<ApiWebhook>>(url);
        Assert.Equal([("https://hooks.example.com/portal", true)], listed!.Select(w => (w.Url, w.Active)));
    }

    [Theory, DatabaseProviders]
    public async Task DisabledWebhook_GetsNoDeliveries_UntilEnabledAgain(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync(HttpStatusCode.OK);
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var created = await AddWebhookAsync(s, receiver.Url);
        var hook = $"{s.ProjectUrl}/webhooks/{created.Id}";

        using var disable = await s.Maintainer.PatchAsJsonAsync(hook, new ApiWebhookUpdate(false));
        var whileDisabled = await s.RequestOkAsync(s.Editor, 1);
        var listedDisabled = await s.Maintainer.GetFromJsonAsync<List<ApiWebhook>>($"{s.ProjectUrl}/webhooks");
        using var enable = await s.Maintainer.PatchAsJsonAsync(hook, new ApiWebhookUpdate(true));
        (await s.ReviewAsync(s.Maintainer, whileDisabled.Request.Number)).Dispose();
        await DeliverUntilAsync(s, WebhookDeliveryStatus.Succeeded);

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, enable.StatusCode);
        Assert.False(Assert.Single(listedDisabled!).Active);
        Assert.DoesNotContain(receiver.Received, r => r.Event == PortalEvents.PromotionRequested);
        Assert.Contains(receiver.Received, r => r.Event == PortalEvents.PromotionApproved);
    }

    [Theory, DatabaseProviders]
    public async Task FailedDelivery_IsListed_AndRedeliverMakesItPendingAgain_DeleteStopsDeliveries(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync(HttpStatusCode.ServiceUnavailable);
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var created = await AddWebhookAsync(s, receiver.Url);
        var request = await s.RequestOkAsync(s.Editor, 1);
        await DeliverUntilAsync(s, WebhookDeliveryStatus.Failed);
        var log = $"{s.ProjectUrl}/webhooks/{created.Id}/deliveries";

        var failed = Assert.Single((await s.Maintainer.GetFromJsonAsync<List<ApiWebhookDelivery>>(log))!);
        Assert.Equal(("failed", PortalEvents.PromotionRequested, 6, 503), (failed.Status, failed.Event, failed.Attempts, failed.ResponseStatus));
        using var redeliver = await s.Maintainer.PostAsync($"{log}/{failed.Id}/redeliver", null);
        var again = await s.Portal.QueryAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == failed.Id));
        using var redeliverPending = await s.Maintainer.PostAsync($"{log}/{failed.Id}/redeliver", null);

        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        // The portal's own Hangfire worker may already have taken the first new attempt.
        Assert.Contains(again.Status, new[] { WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Sending });
        Assert.InRange(again.Attempts, 0, 1);
        Assert.Equal(HttpStatusCode.Conflict, redeliverPending.StatusCode);

        using var delete = await s.Maintainer.DeleteAsync($"{s.ProjectUrl}/webhooks/{created.Id}");
        var before = receiver.Received.Count;
        (await s.ReviewAsync(s.Maintainer, request.Request.Number)).Dispose();
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(0, await s.Portal.QueryAsync(db => db.WebhookDeliveries.CountAsync(d => d.WebhookId == created.Id)));
        Assert.Equal(before, receiver.Received.Count);
        Assert.Empty((await s.Maintainer.GetFromJsonAsync<List<ApiWebhook>>($"{s.ProjectUrl}/webhooks"))!);
    }

    private static async Task<ApiCreatedWebhook> AddWebhookAsync(PromotionScenario s, string url)
    {
        using var response = await s.Maintainer.PostAsJsonAsync($"{s.ProjectUrl}/webhooks", new ApiWebhookCreate(url));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ApiCreatedWebhook>())!;
    }

    /// <summary>
    /// Runs the delivery job for every pending delivery of the project, as Hangfire would, until all reach <paramref name="status"/>.
    /// The portal's own Hangfire worker may take some attempts; each attempt is claimed by its number, so none is sent twice.
    /// </summary>
    private static async Task<List<WebhookDelivery>> DeliverUntilAsync(PromotionScenario s, WebhookDeliveryStatus status)
    {
        var job = s.Portal.Service<DeliverWebhookJob>();
        for (var round = 0; ; round++)
        {
            var deliveries = await s.Portal.QueryAsync(db => db.WebhookDeliveries.AsNoTracking()
                .Where(d => db.Webhooks.Any(w => w.Id == d.WebhookId && w.ProjectId == s.Project.Id)).ToListAsync());
            if (deliveries.Count > 0 && deliveries.All(d => d.Status == status) || round == 50)
            {
                return deliveries;
            }

            foreach (var pending in deliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending))
            {
                await job.RunAsync(pending.Id, CancellationToken.None);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A real HTTP endpoint on loopback that records what it was sent and answers with a fixed status.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentBag<(string Event, string Delivery, string Signature, string Body)> Received { get; } = [];

        public static async Task<Receiver> StartAsync(HttpStatusCode answer)
        {
            var port = FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var receiver = new Receiver(app, $"http://127.0.0.1:{port}/hook");
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                receiver.Received.Add((request.Headers["X-ArtifactPortal-Event"].ToString(), request.Headers["X-ArtifactPortal-Delivery"].ToString(),
                    request.Headers[WebhookSignature.HeaderName].ToString(),
                    await reader.ReadToEndAsync()));
                return Results.StatusCode((int)answer);
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
