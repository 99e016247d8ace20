using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Artifacts;

[Collection(PortalSuite.Name)]
public sealed class ArtifactUploadTests(PortalFixture fixture) : IDisposable
{
    // A 1×1 transparent PNG.
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("artifactportal-upload-");

    [Fact]
    public async Task NewArtifact_FolderWithCsvImageAndHtml_UploadsInChunksAndCreatesVersion1()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("uploader"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Vision {suffix}", $"vision-{suffix}");
        // The CSV is larger than one 8 MiB chunk, so the real server sees Content-Range chunks.
        var root = _folder.CreateSubdirectory("cifar");
        var csv = new StringBuilder("id,label,score\n");
        for (var i = 0; csv.Length < 9_000_000; i++)
        {
            csv.Append(i).Append(",cat,0.").Append(i % 1000).Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(root.FullName, "labels.csv"), csv.ToString());
        await File.WriteAllBytesAsync(Path.Combine(root.CreateSubdirectory("images").FullName, "cat.png"), TinyPng);
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "report.html"), "<!doctype html><h1>Report</h1><script>document.title = 'ok'</script>");
        var total = root.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

        var page = await fixture.NewSignedInPageAsync(email);
        // Holds the HTML file's bytes until the mid-upload screenshot is taken; everything else goes to the real API.
        var htmlFile = await HeldRequests.HoldAsync(page, "**/api/v1/uploads/*/files/2");
        var project = new ProjectPage(page);
        await project.OpenAsync($"p/{slug}", $"Vision {suffix}");
        await page.GetByTestId("new-artifact").ClickAsync();
        var dialog = new NewArtifactDialog(page);
        await dialog.FillAsync("cifar", "CIFAR sample with labels and a report.", "images");

        await dialog.Uploader.ChooseFolderAsync(root.FullName);

        await Expect(dialog.Uploader.Files).ToHaveCountAsync(3);
        await Expect(dialog.Uploader.File("cifar/labels.csv")).ToBeVisibleAsync();
        await Expect(dialog.Uploader.File("cifar/images/cat.png")).ToBeVisibleAsync();
        await dialog.CreateButton.ClickAsync();
        await Expect(dialog.Uploader.File("cifar/labels.csv")).ToContainTextAsync("Done");
        await Expect(dialog.Uploader.Status).ToContainTextAsync("2 of 3 files done");
        await dialog.Uploader.Root.ScrollIntoViewIfNeededAsync();
        await fixture.ScreenshotAsync(page, "upload-in-progress");
        htmlFile.Release();

        await Expect(dialog.Uploader.Done).ToHaveTextAsync($"Uploaded 3 files ({SizeText(total)}) as v1");
        await Expect(page.GetByText("Created cifar with version 1.")).ToBeVisibleAsync();
        await dialog.Uploader.Root.ScrollIntoViewIfNeededAsync();
        await fixture.ScreenshotAsync(page, "upload-done");
        await dialog.DoneButton.ClickAsync();
        await Expect(dialog.Root).ToHaveCountAsync(0);
        // Done opens the new artifact's page.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/p/{slug}/artifacts/cifar$"));

        // The version is listed by the API with every file, sizes intact.
        var answer = await page.APIRequest.GetAsync($"api/v1/projects/{slug}/artifacts/cifar/versions/1");
        Assert.True(answer.Ok, await answer.TextAsync());
        using var version = JsonDocument.Parse(await answer.BodyAsync());
        Assert.Equal(1, version.RootElement.GetProperty("number").GetInt32());
        var files = version.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("size").GetInt64());
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["cifar/labels.csv"] = new FileInfo(Path.Combine(root.FullName, "labels.csv")).Length,
                ["cifar/images/cat.png"] = TinyPng.Length,
                ["cifar/report.html"] = new FileInfo(Path.Combine(root.FullName, "report.html")).Length,
            },
            files);
        Assert.Equal(total, files.Values.Sum());

        // The version page previews what was uploaded: the HTML report in its sandbox, the CSV as a table.
        var artifact = new ArtifactPages(page);
        await artifact.VersionLink(1).First.ClickAsync();
        await Expect(artifact.HtmlPreview.Locator("h1")).ToHaveTextAsync("Report");
        await page.GetByRole(AriaRole.Treeitem).Filter(new() { HasText = "labels.csv" }).ClickAsync();
        var table = page.GetByTestId("file-preview").Locator("table");
        await Expect(table.Locator("th").Nth(1)).ToHaveTextAsync("id");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(100);
        await fixture.ScreenshotAsync(page, "version-after-upload");

        // The zip holds exactly the files on disk.
        var zipAnswer = await page.APIRequest.GetAsync($"api/v1/projects/{slug}/artifacts/cifar/versions/1/zip");
        Assert.True(zipAnswer.Ok, zipAnswer.StatusText);
        using var zip = new ZipArchive(new MemoryStream(await zipAnswer.BodyAsync()), ZipArchiveMode.Read);
        var zipped = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var entry = e.Open();
            return Convert.ToHexStringLower(SHA256.HashData(entry));
        });
        var onDisk = root.EnumerateFiles("*", SearchOption.AllDirectories).ToDictionary(
            f => "cifar/" + Path.GetRelativePath(root.FullName, f.FullName).Replace('\\', '/'),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f.FullName))));
        Assert.Equal(onDisk.OrderBy(f => f.Key), zipped.OrderBy(f => f.Key));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Uploader_DoneInDarkMode_ShowsSummary()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("uploader-dark"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Dark {suffix}", $"dark-{suffix}");
        var page = await fixture.NewSignedInPageAsync(email);
        var project = new ProjectPage(page);
        await project.OpenAsync($"p/{slug}", $"Dark {suffix}");
        await project.ToggleThemeAsync();
        await fixture.WaitForSavedDarkModeAsync(email, darkMode: true);
        await page.GetByTestId("new-artifact").ClickAsync();
        var dialog = new NewArtifactDialog(page);
        await dialog.FillAsync("notes", "", "");
        await dialog.Uploader.DropAsync(("a.txt", "text/plain", "alpha"), ("b.txt", "text/plain", "beta"));
        await Expect(dialog.Uploader.Files).ToHaveCountAsync(2);
        await fixture.ScreenshotAsync(page, "new-artifact-dialog-dark");

        await dialog.CreateButton.ClickAsync();

        await Expect(dialog.Uploader.Done).ToHaveTextAsync("Uploaded 2 files (9 B) as v1");
        await fixture.ScreenshotAsync(page, "upload-done-dark");
        await page.Context.CloseAsync();
    }

    private static string SizeText(long bytes) => ArtifactPortal.Core.Artifacts.ByteSize.Format(bytes);

    public void Dispose() => _folder.Delete(recursive: true);
}
