using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The artifact list, artifact and version pages under /p/{slug}/artifacts.</summary>
public sealed class ArtifactPages(IPage page) : ProjectPage(page)
{
    public ILocator ArtifactLink(string name) => Page.GetByTestId("artifact-link").Filter(new() { HasText = name });

    public ILocator Versions => Page.GetByTestId("version-item");

    public ILocator VersionLink(int number) => Page.GetByTestId("version-number").Filter(new() { HasText = $"v{number}" });

    public ILocator Identifier => Page.GetByTestId("version-identifier").Locator("code");

    public ILocator CurlCommand => Page.GetByTestId("curl-command").Locator("code");

    public ILocator MetadataRows => Page.GetByTestId("metadata-row");

    public IFrameLocator HtmlPreview => Page.FrameLocator("[data-testid=html-preview]");

    public ILocator EmptyState => Page.GetByTestId("artifacts-empty");
}
