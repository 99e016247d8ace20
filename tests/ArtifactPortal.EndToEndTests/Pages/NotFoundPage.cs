using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The 404 page; inside a project link it offers signed-in people an access request.</summary>
public sealed class NotFoundPage(IPage page) : PortalLayout(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" });

    public ILocator Message => Page.GetByLabel("Message to the maintainers (optional)");

    public ILocator RequestAccessButton => Page.GetByTestId("request-access");

    public ILocator RequestSent => Page.GetByTestId("access-requested");
}
