using System.Collections.Concurrent;
using System.Text.Json;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Artifacts;

/// <summary>
/// The uploader's behaviour when the server misbehaves, against a scripted API (Playwright routes) so the failures are
/// exact: a file refused with a problem answer until the automatic attempts are used up, then "Retry failed" resuming from what the server reports.
/// </summary>
[Collection(PortalSuite.Name)]
public sealed class ArtifactUploadFailureTests(PortalFixture fixture)
{
    [Fact]
    public async Task Upload_FileRefused_ShowsErrorAndRetryFailedResendsOnlyThatFile()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("uploader"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Vision {suffix}", $"vision-{suffix}");
        var page = await fixture.NewSignedInPageAsync(email);
        var api = new ScriptedUploadApi();
        await page.RouteAsync("**/api/v1/**", api.HandleAsync);
        var project = new ProjectPage(page);
        await project.OpenAsync($"p/{slug}", $"Vision {suffix}");

        await page.GetByTestId("new-artifact").ClickAsync();
        var dialog = new NewArtifactDialog(page);
        await dialog.FillAsync("cifar-small", "A **small** CIFAR sample.", "images, sample");
        await dialog.Uploader.DropAsync(
            ("labels.csv", "text/csv", "file,label\n0001.png,cat\n"),
            ("readme.txt", "text/plain", "Ten images per class."),
            ("notes.md", "text/markdown", "# Notes"));
        await Expect(dialog.Uploader.Files).ToHaveCountAsync(3);
        await Expect(dialog.Uploader.Status).ToHaveTextAsync("3 files selected (52 B)");
        await fixture.ScreenshotAsync(page, "new-artifact-dialog");

        await dialog.CreateButton.ClickAsync();

        await Expect(dialog.Uploader.RetryButton).ToBeVisibleAsync();
        await Expect(dialog.Uploader.FileErrors).ToHaveTextAsync("The storage is full; try again later.");
        await Expect(dialog.Uploader.File("readme.txt")).ToContainTextAsync("Failed");
        await Expect(dialog.Uploader.File("labels.csv")).ToContainTextAsync("Done");
        await Expect(dialog.Uploader.Message).ToContainTextAsync("1 file failed to upload.");
        await fixture.ScreenshotAsync(page, "upload-failed");

        await dialog.Uploader.RetryButton.ClickAsync();

        await Expect(dialog.Uploader.Done).ToHaveTextAsync("Uploaded 3 files (52 B) as v7");
        await dialog.DoneButton.ClickAsync();
        await Expect(dialog.Root).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/artifacts/cifar-small$"));
        var calls = api.Calls;
        Assert.Equal("POST uploads", calls[0]);
        // Three automatic attempts at readme.txt (a 5xx may pass), then the person's retry sends only that file, then the commit.
        Assert.Equal(["PUT 0", "PUT 1", "PUT 2 refused", "PUT 2 refused", "PUT 2 refused"], calls[1..6].Order(StringComparer.Ordinal));
        Assert.Equal(["GET upload", "PUT 2", "POST commit"], calls[6..]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dialog_ClosedWhileTheUploaderScriptLoads_PageKeepsWorking()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("uploader"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Vision {suffix}", $"vision-{suffix}");
        var page = await fixture.NewSignedInPageAsync(email);
        // uploader.js arrives only after the dialog that imports it has closed.
        var script = await HeldRequests.HoldAsync(page, "**/uploader*.js");
        var project = new ProjectPage(page);
        await project.OpenAsync($"p/{slug}", $"Vision {suffix}");

        await page.GetByTestId("new-artifact").ClickAsync();
        var dialog = new NewArtifactDialog(page);
        await script.Arrived.WaitAsync(TimeSpan.FromSeconds(15));
        await dialog.Root.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog.Root).ToHaveCountAsync(0);
        script.Release();

        // The circuit survived the script arriving for a closed dialog: a second dialog opens and its uploader works.
        await page.GetByTestId("new-artifact").ClickAsync();
        await dialog.Uploader.DropAsync(("notes.md", "text/markdown", "# Notes"));
        await Expect(dialog.Uploader.Status).ToHaveTextAsync("1 file selected (7 B)");
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>Answers the staged-upload API (the artifact itself is created by the dialog through the Core service) the way docs/artifacts-api.md describes; readme.txt (index 2) is refused three times.</summary>
    private sealed class ScriptedUploadApi
    {
        private readonly ConcurrentQueue<string> _calls = new();
        private int _refusals;

        public string[] Calls => [.. _calls];

        public async Task HandleAsync(IRoute route)
        {
            var request = route.Request;
            var path = new Uri(request.Url).AbsolutePath;
            // In the order the uploader sends them: sorted by path.
            var files = new[] { ("labels.csv", 24L), ("notes.md", 7L), ("readme.txt", 21L) };
            object FileEntry(int i, bool complete) => new { index = i, path = files[i].Item1, size = files[i].Item2, received = complete ? files[i].Item2 : 0, complete, sha256 = (string?)null };
            switch (request.Method, path)
            {
                case ("POST", var p) when p.EndsWith("/uploads", StringComparison.Ordinal):
                    _calls.Enqueue("POST uploads");
                    await JsonAsync(route, 201, new { id = "u1", expiresAt = DateTimeOffset.UtcNow.AddDays(1), files = files.Select((_, i) => FileEntry(i, false)) });
                    return;
                case ("PUT", var p) when p.StartsWith("/api/v1/uploads/u1/files/", StringComparison.Ordinal):
                    var index = int.Parse(p[(p.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                    var range = request.Headers.GetValueOrDefault("content-range");
                    if (range != $"bytes 0-{files[index].Item2 - 1}/{files[index].Item2}")
                    {
                        // Recorded rather than asserted: an exception here would leave the request hanging.
                        _calls.Enqueue($"PUT {index} with Content-Range '{range}'");
                        await JsonAsync(route, 400, new { title = "Bad range", status = 400, detail = range });
                        return;
                    }

                    if (index == 2 && Interlocked.Increment(ref _refusals) <= 3)
                    {
                        _calls.Enqueue("PUT 2 refused");
                        await JsonAsync(route, 507, new { title = "Insufficient storage", status = 507, detail = "The storage is full; try again later." });
                        return;
                    }

                    _calls.Enqueue($"PUT {index}");
                    await JsonAsync(route, 200, FileEntry(index, true));
                    return;
                case ("GET", "/api/v1/uploads/u1"):
                    _calls.Enqueue("GET upload");
                    await JsonAsync(route, 200, new { id = "u1", files = files.Select((_, i) => FileEntry(i, i != 2)) });
                    return;
                case ("POST", "/api/v1/uploads/u1/commit"):
                    _calls.Enqueue("POST commit");
                    await JsonAsync(route, 201, new { number = 7 });
                    return;
                default:
                    await JsonAsync(route, 404, new { title = "Not found", status = 404, detail = $"Unscripted {request.Method} {path}" });
                    return;
            }
        }

        private static Task JsonAsync(IRoute route, int status, object body) =>
            route.FulfillAsync(new() { Status = status, ContentType = "application/json", Body = JsonSerializer.Serialize(body) });
    }
}
