using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The interactive shell around every signed-in page: app bar, user menu, theme toggle and drawer.</summary>
public class PortalLayout(IPage page)
{
    protected IPage Page { get; } = page;

    public ILocator UserMenuButton => Page.GetByTestId("user-menu-button");

    public ILocator LogoutButton => Page.GetByTestId("logout");

    public ILocator ThemeToggle => Page.GetByTestId("theme-toggle");

    public ILocator Drawer => Page.GetByRole(AriaRole.Complementary);

    public ILocator AdministrationSection => Drawer.GetByText("Administration", new() { Exact = true });

    public ILocator UsersLink => Drawer.GetByRole(AriaRole.Link, new() { Name = "Users" });

    public ILocator Body => Page.Locator("body");

    /// <summary>
    /// Pages are prerendered, so buttons show before they work. The layout marks itself data-interactive="true" once the
    /// Blazor circuit has rendered it; clicks after that reach the server.
    /// </summary>
    public async Task WaitForInteractiveAsync()
    {
        await Page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Expect(Page.Locator(".mud-layout[data-interactive='true']")).ToBeAttachedAsync();
    }

    public async Task WaitForSignedInAsync(string email)
    {
        await Expect(UserMenuButton).ToContainTextAsync(email);
    }

    public async Task OpenUserMenuAsync()
    {
        await UserMenuButton.ClickAsync();
        await Expect(LogoutButton).ToBeVisibleAsync();
    }

    public async Task LogOutAsync()
    {
        await OpenUserMenuAsync();
        await LogoutButton.ClickAsync();
    }

    public async Task ToggleThemeAsync() => await ThemeToggle.ClickAsync();

    public Task<string> BodyBackgroundColorAsync() =>
        Body.EvaluateAsync<string>("body => getComputedStyle(body).backgroundColor");
}
