using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>The ArtifactUploader component: drop zone, pickers, progress and the files list.</summary>
public sealed class ArtifactUploaderPanel(ILocator root)
{
    public ILocator Root => root;

    public ILocator DropZone => root.GetByTestId("upload-drop-zone");

    public ILocator FilesInput => root.GetByTestId("upload-files-input");

    public ILocator FolderInput => root.GetByTestId("upload-folder-input");

    public ILocator Status => root.GetByTestId("upload-status");

    public ILocator Files => root.GetByTestId("upload-file");

    public ILocator FileErrors => root.GetByTestId("upload-file-error");

    public ILocator Message => root.GetByTestId("upload-message");

    public ILocator Done => root.GetByTestId("upload-done");

    public ILocator RetryButton => root.GetByRole(AriaRole.Button, new() { Name = "Retry failed" });

    public ILocator CancelButton => root.GetByRole(AriaRole.Button, new() { Name = "Cancel upload" });

    public ILocator File(string path) => Files.Filter(new() { HasText = path });

    /// <summary>Drops files on the zone the way a browser does, with a DataTransfer built in the page.</summary>
    public async Task DropAsync(params (string Name, string MimeType, string Content)[] files)
    {
        await WaitForScriptAsync();
        var transfer = await DropZone.Page.EvaluateHandleAsync(
            """
            files => {
              const transfer = new DataTransfer();
              for (const f of files) transfer.items.add(new File([f.content], f.name, { type: f.mimeType }));
              return transfer;
            }
            """,
            files.Select(f => new { name = f.Name, mimeType = f.MimeType, content = f.Content }).ToArray());
        await DropZone.DispatchEventAsync("dragenter", new { dataTransfer = transfer });
        await DropZone.DispatchEventAsync("drop", new { dataTransfer = transfer });
    }

    /// <summary>Picks a whole folder through the "Choose a folder" input (webkitdirectory).</summary>
    public async Task ChooseFolderAsync(string directory)
    {
        await WaitForScriptAsync();
        await FolderInput.SetInputFilesAsync(directory);
    }

    /// <summary>uploader.js marks the component once it listens; a drop before that would go unnoticed.</summary>
    private Task WaitForScriptAsync() => Assertions.Expect(root).ToHaveAttributeAsync("data-ready", "true");
}
