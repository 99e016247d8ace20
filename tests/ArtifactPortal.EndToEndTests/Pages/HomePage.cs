using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>"/": the signed-in person's projects.</summary>
public sealed partial class HomePage(IPage page) : PortalLayout(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Your projects" });

    public ILocator EmptyState => Page.GetByTestId("projects-empty");

    public ILocator ProjectCards => Page.GetByTestId("project-card");

    // "Create your first project" in the empty state, "New project" above the list.
    public ILocator NewProjectButton => Page.GetByRole(AriaRole.Button, new() { NameRegex = NewProjectButtonName() });

    public static async Task<HomePage> OpenAsync(IPage page)
    {
        await page.GotoAsync("");
        var home = new HomePage(page);
        await home.WaitUntilShownAsync();
        return home;
    }

    public async Task WaitUntilShownAsync()
    {
        await Expect(Heading).ToBeVisibleAsync();
        await WaitForInteractiveAsync();
    }

    public ILocator ProjectCard(string name) => ProjectCards.Filter(new() { HasText = name });

    public async Task<NewProjectDialog> OpenNewProjectDialogAsync()
    {
        await NewProjectButton.ClickAsync();
        var dialog = new NewProjectDialog(Page);
        await Expect(dialog.Root).ToBeVisibleAsync();
        return dialog;
    }

    [GeneratedRegex("^(New project|Create your first project)$")]
    private static partial Regex NewProjectButtonName();
}
