using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>A project's Settings: its sections, the protected alias policies, the webhooks and a webhook's delivery log.</summary>
public sealed class ProjectSettingsPages(IPage page) : PortalLayout(page)
{
    public ILocator Section(string key) => Page.GetByTestId($"settings-section-{key}");

    public ILocator Policy(string alias) => Page.Locator($"[data-testid=protected-alias][data-alias='{alias}']");

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public ILocator ApprovalsInput => Dialog.GetByLabel("Approvals required");

    public ILocator AddCheck => Page.GetByTestId("add-check");

    public ILocator CheckMetric => Dialog.GetByLabel("Metric", new() { Exact = true });

    public ILocator CheckThreshold => Dialog.GetByLabel("≥ value");

    public ILocator SavePolicy => Page.GetByTestId("policy-save");

    public ILocator AddWebhook => Page.GetByTestId("add-webhook");

    public ILocator WebhookUrl => Dialog.GetByLabel("Payload URL");

    public ILocator CreateWebhook => Page.GetByTestId("webhook-create");

    public ILocator Secret => Page.Locator("input[data-testid=webhook-secret]");

    public ILocator Done => Page.GetByTestId("webhook-done");

    public ILocator WebhookRows => Page.GetByTestId("webhook-row");

    public ILocator DeliveryLogLink => Page.GetByTestId("webhook-log");

    public ILocator Deliveries => Page.GetByTestId("delivery-row");

    public async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }
}
