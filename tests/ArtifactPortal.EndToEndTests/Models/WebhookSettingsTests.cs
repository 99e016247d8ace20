using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.EndToEndTests.Pages;
using ArtifactPortal.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Models;

[Collection(PortalSuite.Name)]
public sealed class WebhookSettingsTests(PortalFixture fixture)
{
    [Fact]
    public async Task Settings_MaintainerRequiresTwoApprovalsAndAddsAWebhook_PromotionIsDeliveredAndLogged()
    {
        using var receiver = Receiver.Start();
        var owner = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("hooks-owner"));
        var maintainer = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("hooks-maintainer"));
        var editor = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("hooks-editor"));
        var slug = await fixture.CreateProjectAsync(owner, "Churn models", $"churn-{Guid.NewGuid().ToString("N")[..6]}");
        var ownerPrincipal = await fixture.PrincipalAsync(owner);
        var members = fixture.Services.GetRequiredService<ProjectMemberService>();
        Assert.True((await members.AddAsync(ownerPrincipal, slug, maintainer, ProjectRole.Maintainer)).Succeeded);
        Assert.True((await members.AddAsync(ownerPrincipal, slug, editor, ProjectRole.Editor)).Succeeded);
        Assert.True((await fixture.Services.GetRequiredService<ArtifactService>()
            .CreateAsync(ownerPrincipal, slug, new NewArtifact("churn-predictor", ArtifactType.Model))).Succeeded);
        await ModelVersions.AddAsync(fixture, ownerPrincipal, slug, "churn-predictor", """{"accuracy": 0.93}""");

        var page = await fixture.NewSignedInPageAsync(maintainer);
        var settings = new ProjectSettingsPages(page);
        await settings.OpenAsync($"p/{slug}/settings");
        await fixture.ScreenshotAsync(page, "settings-1-general");
        await settings.Section("protected-aliases").ClickAsync();
        await Expect(settings.Policy("production")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "settings-2-protected-aliases");

        await settings.Policy("production").GetByTestId("edit-policy").ClickAsync();
        await settings.ApprovalsInput.FillAsync("2");
        await settings.AddCheck.ClickAsync();
        await settings.CheckMetric.FillAsync("accuracy");
        await settings.CheckThreshold.FillAsync("0.9");
        await fixture.ScreenshotAsync(page, "settings-3-policy-dialog");
        // The candidate has no evaluation run, so a metric check would hold the approval back: shown, then taken out again.
        await page.GetByTestId("check-remove").ClickAsync();
        await settings.SavePolicy.ClickAsync();
        await Expect(settings.Policy("production").GetByTestId("policy-approvals")).ToHaveTextAsync("2");
        await Expect(settings.Policy("production").GetByTestId("policy-checks")).ToHaveTextAsync("None");

        await settings.Section("webhooks").ClickAsync();
        await settings.AddWebhook.ClickAsync();
        await settings.WebhookUrl.FillAsync(receiver.Url);
        await settings.CreateWebhook.ClickAsync();
        await Expect(settings.Dialog).ToContainTextAsync("you won't see it again");
        var secret = await settings.Secret.InputValueAsync();
        await fixture.ScreenshotAsync(page, "settings-4-webhook-secret");
        await settings.Done.ClickAsync();
        await Expect(settings.WebhookRows).ToHaveTextAsync(receiver.Url);

        // The promotion itself goes through Core, as the promotion pages (tested elsewhere) do.
        var promotions = fixture.Services.GetRequiredService<PromotionService>();
        var request = await promotions.CreateAsync(await fixture.PrincipalAsync(editor), slug, "churn-predictor",
            new NewPromotionRequest("production", 1, "Accuracy 0.93 on the holdout."));
        var approve = new PromotionReviewInput(ReviewDecision.Approve, "Looks good.");
        var first = await promotions.ReviewAsync(await fixture.PrincipalAsync(maintainer), slug, request.Summary.Number, approve);
        Assert.Equal(PromotionStatus.Open, first.Summary.Status);
        var second = await promotions.ReviewAsync(ownerPrincipal, slug, request.Summary.Number, approve);
        Assert.Equal(PromotionStatus.Approved, second.Summary.Status);

        await settings.OpenAsync($"p/{slug}/settings/webhooks");
        await settings.DeliveryLogLink.ClickAsync();
        // Hangfire sends them; the page looks again while any is pending.
        foreach (var name in new[] { PortalEvents.PromotionRequested, PortalEvents.PromotionApproved, PortalEvents.AliasChanged })
        {
            await Expect(page.Locator($"[data-testid=delivery-row][data-event='{name}'][data-status=Succeeded]"))
                .ToHaveCountAsync(1, new() { Timeout = 30_000 });
        }

        await fixture.ScreenshotAsync(page, "settings-5-delivery-log");
        await settings.OpenAsync($"p/{slug}/settings/webhooks");
        await Expect(settings.WebhookRows.Locator("xpath=..").GetByTestId("delivery-status")).ToHaveTextAsync("Succeeded");
        await fixture.ScreenshotAsync(page, "settings-6-webhooks");

        var received = receiver.Received.Values.ToList();
        Assert.Equal([PortalEvents.AliasChanged, PortalEvents.PromotionApproved, PortalEvents.PromotionRequested],
            received.Select(r => r.Event).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(WebhookSignature.Compute(secret, r.Body), r.Signature));
        await page.Context.CloseAsync();
    }

    private sealed record Delivery(string Event, string Body, string Signature);

    /// <summary>A webhook endpoint on 127.0.0.1 that answers 200 and keeps each delivery once (deliveries are at least once).</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();

        private Receiver(int port)
        {
            Url = $"http://127.0.0.1:{port}/hook";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        }

        public string Url { get; }

        public ConcurrentDictionary<string, Delivery> Received { get; } = new();

        public static Receiver Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var receiver = new Receiver(port);
            receiver._listener.Start();
            _ = receiver.ListenAsync();
            return receiver;
        }

        private async Task ListenAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    var body = await reader.ReadToEndAsync();
                    Received.TryAdd(context.Request.Headers["X-ArtifactPortal-Delivery"] ?? Guid.NewGuid().ToString(), new Delivery(
                        context.Request.Headers["X-ArtifactPortal-Event"] ?? "", body, context.Request.Headers["X-ArtifactPortal-Signature"] ?? ""));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
