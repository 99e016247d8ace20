using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The "New artifact" dialog: the artifact's form and the uploader for its first version.</summary>
public sealed class NewArtifactDialog(IPage page)
{
    public ILocator Root => page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "New artifact" });

    // MudTextField puts the test id on its input.
    public ILocator Name => Root.GetByTestId("artifact-name");

    public ILocator Description => Root.GetByRole(AriaRole.Textbox, new() { Name = "Description" });

    public ILocator Tags => Root.GetByRole(AriaRole.Textbox, new() { Name = "Tags" });

    public ILocator DoneButton => Root.GetByRole(AriaRole.Button, new() { Name = "Done" });

    public ILocator CreateButton => Root.GetByRole(AriaRole.Button, new() { Name = "Create and upload" });

    public ArtifactUploaderPanel Uploader => new(Root.GetByTestId("artifact-uploader"));

    public async Task FillAsync(string name, string description, string tags)
    {
        await Name.FillAsync(name);
        await Description.FillAsync(description);
        await Tags.FillAsync(tags);
    }
}
