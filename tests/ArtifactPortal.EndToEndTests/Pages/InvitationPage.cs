using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/invite/{token}: join a project through an invite link.</summary>
public sealed class InvitationPage(IPage page) : PortalLayout(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator CreateAccountButton => Page.GetByTestId("invite-register");

    public ILocator LogInButton => Page.GetByTestId("invite-login");

    public ILocator AcceptButton => Page.GetByTestId("accept-invitation");

    public ILocator OpenProjectButton => Page.GetByTestId("open-project");
}
