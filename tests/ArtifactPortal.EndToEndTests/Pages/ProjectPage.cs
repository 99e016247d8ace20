using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>Any page inside a project (/p/{slug}/…): the project header, its tabs and the copy-link button.</summary>
public class ProjectPage(IPage page) : PortalLayout(page)
{
    public ILocator Name => Page.GetByTestId("project-name");

    public ILocator CopyLinkButton => Page.GetByTestId("copy-link");

    public ILocator Tabs => Page.GetByRole(AriaRole.Navigation, new() { Name = "Project sections" });

    public ILocator MembersTab => Tabs.GetByRole(AriaRole.Link, new() { Name = "Members" });

    public ILocator Tab(string name) => Tabs.GetByRole(AriaRole.Link, new() { Name = name });

    public async Task OpenAsync(string path, string projectName)
    {
        await Page.GotoAsync(path);
        await WaitUntilShownAsync(projectName);
    }

    public async Task WaitUntilShownAsync(string projectName)
    {
        await Expect(Name).ToHaveTextAsync(projectName);
        await WaitForInteractiveAsync();
    }

    /// <summary>Clicks "Copy link" and returns what landed on the clipboard (the context needs clipboard permissions).</summary>
    public async Task<string> CopyLinkAsync()
    {
        await CopyLinkButton.ClickAsync();
        await Expect(Page.GetByText("Link copied to the clipboard.")).ToBeVisibleAsync();
        return await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
    }
}
