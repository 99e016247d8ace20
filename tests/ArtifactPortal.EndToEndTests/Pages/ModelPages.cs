using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The bell, the promotion request page and the model page.</summary>
public sealed class ModelPages(IPage page) : PortalLayout(page)
{
    public ILocator BellCount => Page.Locator("[data-testid=notification-count] .mud-badge");

    public ILocator Bell => Page.GetByTestId("notification-button");

    public ILocator NotificationItems => Page.GetByRole(AriaRole.Menuitem).Filter(new() { HasText = "Review requested" });

    public ILocator RequestPromotionButton => Page.GetByTestId("request-promotion");

    public ILocator Justification => Page.GetByRole(AriaRole.Dialog).GetByLabel("Justification");

    public ILocator SubmitRequest => Page.GetByTestId("promotion-submit");

    public ILocator Status => Page.GetByTestId("request-header").GetByTestId("promotion-status");

    public ILocator Approve => Page.GetByTestId("approve");

    public ILocator ReviewBlocked => Page.GetByTestId("review-blocked");

    public ILocator ReviewComment => Page.GetByRole(AriaRole.Dialog).GetByLabel("Comment");

    public ILocator SubmitReview => Page.GetByTestId("review-submit");

    public ILocator CandidateHeader => Page.GetByTestId("compare-candidate");

    public ILocator HolderHeader => Page.GetByTestId("compare-holder");

    public ILocator AliasCard(string alias) => Page.GetByTestId($"alias-card-{alias}");

    public ILocator ArchivedMarker => Page.GetByTestId("archived-marker");

    public async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }
}
