using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Infrastructure.Notifications;
using ArtifactPortal.Web.Features.Models;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Models;

public sealed class WebhookSettingsPageTests : ArtifactPageTestBase
{
    public WebhookSettingsPageTests()
    {
        // The real secret protector on ephemeral keys; sending (Hangfire) is not part of these pages.
        Context.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        Context.Services.AddSingleton<IWebhookSecretProtector, DataProtectionWebhookSecretProtector>();
        Context.Services.AddSingleton<IAnnouncementDispatcher, RecordingDispatcher>();
    }

    private WebhookService Webhooks => Services.GetRequiredService<WebhookService>();

    [Fact]
    public async Task Create_ValidUrl_ShowsTheSecretOnceAndListsTheWebhook()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        var page = RenderPage<WebhookSettingsPage>(("Slug", Slug));
        page.WaitForElement("[data-testid=no-webhooks]");

        // Not awaited: the handler finishes only when the dialog closes.
        page.Find("[data-testid=add-webhook]").Click();
        await page.WaitForElement("input[data-testid=webhook-url-input]").ChangeAsync(new() { Value = "https://ci.example.com/hook" });
        await page.Find("[data-testid=webhook-create]").ClickAsync(new());

        var secret = page.WaitForElement("input[data-testid=webhook-secret]").GetAttribute("value")!;
        Assert.Equal(43, secret.Length);
        Assert.Contains("you won't see it again", page.Find("[data-testid=webhook-created]").TextContent, StringComparison.Ordinal);
        await page.Find("[data-testid=webhook-done]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("https://ci.example.com/hook", page.Find("[data-testid=webhook-url]").TextContent.Trim()));
        Assert.DoesNotContain(secret, page.Markup, StringComparison.Ordinal);
        Assert.Equal("None yet", page.Find("[data-testid=webhook-last]").TextContent.Trim());
        Assert.True(Assert.Single(await Webhooks.ListAsync(OwnerPrincipal, Slug)).Active);
    }

    [Theory]
    [InlineData("", "Enter the URL that receives the POSTs.")]
    [InlineData("ftp://ci.example.com/hook", "The webhook URL must be an absolute http:// or https:// URL.")]
    [InlineData("/hook", "The webhook URL must be an absolute http:// or https:// URL.")]
    public async Task Create_BadUrl_ShowsTheErrorAndAddsNothing(string url, string error)
    {
        await CreateProjectAsync();
        SignIn(Owner);
        var page = RenderPage<WebhookSettingsPage>(("Slug", Slug));
        page.WaitForElement("[data-testid=no-webhooks]");

        // Not awaited: the handler finishes only when the dialog closes.
        page.Find("[data-testid=add-webhook]").Click();
        await page.WaitForElement("input[data-testid=webhook-url-input]").ChangeAsync(new() { Value = url });
        await page.Find("[data-testid=webhook-create]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains(error, page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=webhook-secret]"));
        Assert.Empty(await Webhooks.ListAsync(OwnerPrincipal, Slug));
    }

    [Fact]
    public async Task DisableThenDelete_ChangesTheWebhookAfterConfirmation()
    {
        await CreateProjectAsync();
        await Webhooks.CreateAsync(OwnerPrincipal, Slug, "https://ci.example.com/hook");
        SignIn(Owner);
        var page = RenderPage<WebhookSettingsPage>(("Slug", Slug));

        var toggle = page.WaitForElement("input[data-testid=webhook-active]");
        // MudSwitch listens to change or click depending on its version; either is what a person's click sends.
        if (toggle.HasAttribute("blazor:onchange"))
        {
            await toggle.ChangeAsync(new() { Value = false });
        }
        else
        {
            await toggle.ClickAsync(new());
        }

        page.WaitForAssertion(() => Assert.Contains("Off", page.Find("tbody tr").TextContent, StringComparison.Ordinal));
        Assert.False(Assert.Single(await Webhooks.ListAsync(OwnerPrincipal, Slug)).Active);

        // Not awaited: the handler finishes only when the dialog closes.
        page.Find("[data-testid=webhook-delete]").Click();
        page.WaitForAssertion(() => Assert.Contains("its delivery log is deleted", page.Markup, StringComparison.Ordinal));
        await page.Find("[role=dialog]").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Delete").ClickAsync(new());

        page.WaitForElement("[data-testid=no-webhooks]");
        Assert.Empty(await Webhooks.ListAsync(OwnerPrincipal, Slug));
    }

    [Fact]
    public async Task Render_AsEditor_SaysMaintainersOnly()
    {
        await CreateProjectAsync();
        await Webhooks.CreateAsync(OwnerPrincipal, Slug, "https://ci.example.com/hook");
        await SignInMemberAsync("eddie@example.com", Core.Projects.ProjectRole.Editor);

        var page = RenderPage<WebhookSettingsPage>(("Slug", Slug));

        page.WaitForElement("[data-testid=not-allowed]");
        Assert.DoesNotContain("ci.example.com", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveryLog_ThirtyDeliveries_PagesNewestFirstAndRedeliversAFailedOne()
    {
        await CreateProjectAsync();
        var webhook = (await Webhooks.CreateAsync(OwnerPrincipal, Slug, "https://ci.example.com/hook")).Webhook;
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await using (var db = await Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync())
        {
            for (var i = 0; i < 30; i++)
            {
                var failed = i == 29;
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    Id = Guid.NewGuid(),
                    WebhookId = webhook.Id,
                    Event = failed ? PortalEvents.AliasChanged : PortalEvents.PromotionRequested,
                    PayloadJson = "{}",
                    Status = failed ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Succeeded,
                    Attempts = failed ? 6 : 1,
                    ResponseStatus = failed ? 503 : 200,
                    Error = failed ? "HTTP 503 Service Unavailable: " + new string('x', 300) : null,
                    CreatedAt = start.AddSeconds(i),
                    LastAttemptAt = start.AddSeconds(i + 1),
                });
            }

            await db.SaveChangesAsync();
        }

        SignIn(Owner);
        var page = RenderPage<WebhookDeliveriesPage>(("Slug", Slug), ("WebhookId", webhook.Id));

        page.WaitForAssertion(() => Assert.Equal(WebhookDeliveriesPage.PageSize, page.FindAll("[data-testid=delivery-row]").Count));
        var newest = page.FindAll("tbody tr")[0];
        Assert.Equal(PortalEvents.AliasChanged, newest.QuerySelector("[data-testid=delivery-row]")!.GetAttribute("data-event"));
        Assert.Equal("Failed", newest.QuerySelector("[data-testid=delivery-status]")!.TextContent.Trim());
        Assert.Equal("6", newest.QuerySelector("[data-testid=delivery-attempts]")!.TextContent.Trim());
        Assert.Equal("503", newest.QuerySelector("[data-testid=delivery-response]")!.TextContent.Trim());
        Assert.EndsWith("…", newest.QuerySelector("[data-testid=delivery-error]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=redeliver]"));
        Assert.Equal("1–25", page.Find("[data-testid=deliveries-range]").TextContent.Trim());

        await page.Find("[data-testid=deliveries-older]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=delivery-row]").Count));
        Assert.Equal("26–30", page.Find("[data-testid=deliveries-range]").TextContent.Trim());
        Assert.True(page.Find("[data-testid=deliveries-older]").HasAttribute("disabled"));
        await page.Find("[data-testid=deliveries-newer]").ClickAsync(new());

        await page.WaitForElement("[data-testid=redeliver]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("Pending", page.FindAll("tbody tr")[0].QuerySelector("[data-testid=delivery-status]")!.TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=redeliver]"));
        var dispatched = Assert.Single(((RecordingDispatcher)Services.GetRequiredService<IAnnouncementDispatcher>()).Deliveries);
        var log = await Webhooks.ListDeliveriesAsync(OwnerPrincipal, Slug, webhook.Id, 0, 1);
        Assert.Equal((log[0].Id, WebhookDeliveryStatus.Pending, 0), (dispatched, log[0].Status, log[0].Attempts));
    }

    [Fact]
    public async Task DeliveryLog_AnotherWebhookThenAnUnknownOne_ShowsEachOrSaysItIsGone()
    {
        await CreateProjectAsync();
        var first = (await Webhooks.CreateAsync(OwnerPrincipal, Slug, "https://ci.example.com/first")).Webhook;
        var second = (await Webhooks.CreateAsync(OwnerPrincipal, Slug, "https://ci.example.com/second")).Webhook;
        SignIn(Owner);

        var page = RenderPage<WebhookDeliveriesPage>(("Slug", Slug), ("WebhookId", first.Id));
        page.WaitForAssertion(() => Assert.Equal(first.Url, page.Find("[data-testid=deliveries-url]").TextContent.Trim()));
        ShowWebhook(page, second.Id);
        page.WaitForAssertion(() => Assert.Equal(second.Url, page.Find("[data-testid=deliveries-url]").TextContent.Trim()));
        page.WaitForElement("[data-testid=no-deliveries]");
        ShowWebhook(page, Guid.NewGuid());

        page.WaitForElement("[data-testid=webhook-missing]");
        Assert.Empty(page.FindAll("[data-testid=deliveries-url]"));
    }

    /// <summary>What the router does on a link to another webhook's log: the address changes, then the page gets its parameters.</summary>
    private void ShowWebhook(IRenderedComponent<ContainerFragment> page, Guid id)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"p/{Slug}/settings/webhooks/{id}");
        page.FindComponent<WebhookDeliveriesPage>().Render(p => p.Add(x => x.Slug, Slug).Add(x => x.WebhookId, id));
    }

    [Fact]
    public async Task GetAsync_MaintainerEditorOrOtherProject_ReturnsTheListedWebhookOrRefuses()
    {
        await CreateProjectAsync();
        var created = (await Webhooks.CreateAsync(OwnerPrincipal, Slug, "https://ci.example.com/hook")).Webhook;
        var editor = await CreateUserAsync("eddie@example.com");
        await Data.AddMemberAsync(OwnerPrincipal, Slug, "eddie@example.com", Core.Projects.ProjectRole.Editor);

        Assert.Equal(Assert.Single(await Webhooks.ListAsync(OwnerPrincipal, Slug)), await Webhooks.GetAsync(OwnerPrincipal, Slug, created.Id));
        await Assert.ThrowsAsync<Core.Accounts.PortalAccessDeniedException>(() => Webhooks.GetAsync(PrincipalOf(editor), Slug, created.Id));
        await Assert.ThrowsAsync<Core.Common.PortalNotFoundException>(() => Webhooks.GetAsync(OwnerPrincipal, Slug, Guid.NewGuid()));
    }

    private sealed class RecordingDispatcher : IAnnouncementDispatcher
    {
        public List<Guid> Deliveries { get; } = [];

        public Task DispatchAsync(Announcement announcement, CancellationToken cancellationToken)
        {
            lock (Deliveries)
            {
                Deliveries.AddRange(announcement.WebhookDeliveryIds);
            }

            return Task.CompletedTask;
        }
    }
}
