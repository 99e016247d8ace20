using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The "New project" dialog opened from the home page.</summary>
public sealed class NewProjectDialog(IPage page)
{
    public ILocator Root => page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "New project" });

    // The label of a required field ends in a CSS asterisk ("Name*"), and "URL name" contains "name": use the test ids.
    public ILocator Name => Root.GetByTestId("project-name");

    public ILocator Slug => Root.GetByTestId("project-slug");

    public ILocator Description => Root.GetByRole(AriaRole.Textbox, new() { Name = "Description" });

    public ILocator CreateButton => Root.GetByRole(AriaRole.Button, new() { Name = "Create project" });

    /// <summary>Types the name where the dialog put the cursor, as a person would, then fills the description.</summary>
    public async Task FillAsync(string name, string description)
    {
        await Expect(Name).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(name);
        await Expect(Name).ToHaveValueAsync(name);
        await Description.FillAsync(description);
    }

    public Task CreateAsync() => CreateButton.ClickAsync();
}
