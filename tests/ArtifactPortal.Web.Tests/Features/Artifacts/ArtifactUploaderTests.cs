using ArtifactPortal.Web.Features.Artifacts;
using Bunit;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

/// <summary>What people see while uploader.js reports progress; the reports are sent the way the module sends them.</summary>
public class ArtifactUploaderTests : PortalComponentTestBase
{
    private const long MB = 1_000_000;

    private static readonly SelectedUploadFile[] ThreeFiles =
    [
        new(0, "data/train.csv", 10 * MB),
        new(1, "data/images/cat.png", 2 * MB),
        new(2, "report.html", 400_000),
    ];

    private IRenderedComponent<ArtifactUploader> Render(Action<int>? committed = null) =>
        Context.Render<ArtifactUploader>(p => p
            .Add(x => x.ProjectSlug, "vision")
            .Add(x => x.ArtifactName, "imagenet-subset")
            .Add(x => x.OnCommitted, version => committed?.Invoke(version)));

    private static Task SelectAsync(IRenderedComponent<ArtifactUploader> cut, params SelectedUploadFile[] files) =>
        cut.InvokeAsync(() => cut.Instance.OnFilesSelectedAsync(files, reset: true, complete: true));

    private static Task ReportAsync(IRenderedComponent<ArtifactUploader> cut, UploadProgress progress) =>
        cut.InvokeAsync(() => cut.Instance.OnUploadProgressAsync(progress));

    private static UploadProgress Uploading(long received, params UploadFileChange[] files) =>
        new(UploadPhase.Uploading, received, 12_400_000, 54 * MB, 20, null, null, files);

    [Fact]
    public void Render_NoFiles_ShowsDropZoneAndPickers()
    {
        var cut = Render();

        var zone = cut.Find("[data-testid=upload-drop-zone]");
        Assert.Contains("Drop files or folders here", zone.TextContent, StringComparison.Ordinal);
        Assert.Contains("Choose files", zone.TextContent, StringComparison.Ordinal);
        Assert.Contains("Choose a folder", zone.TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=upload-folder-input]").HasAttribute("webkitdirectory"));
        Assert.Empty(cut.FindAll("[data-testid=upload-file]"));
    }

    [Fact]
    public async Task Progress_Uploading_ShowsPercentSpeedAndTimeLeft()
    {
        var cut = Render();
        await SelectAsync(cut, ThreeFiles);

        await ReportAsync(cut, Uploading(
            5_580_000,
            new UploadFileChange(0, 4_500_000, UploadFileStatus.Uploading, null),
            new UploadFileChange(1, 1_000_000, UploadFileStatus.Uploading, null),
            new UploadFileChange(2, 400_000, UploadFileStatus.Done, null)));

        var status = cut.Find("[data-testid=upload-status]").TextContent;
        Assert.Equal("45% · 5.3 MB of 12 MB · 1 of 3 files done · 51 MB/s · about 20 s left", status);
        var rows = cut.FindAll("[data-testid=upload-file]").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("data/train.csv", StringComparison.Ordinal) && r.Contains("45%", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("data/images/cat.png", StringComparison.Ordinal) && r.Contains("50%", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("report.html", StringComparison.Ordinal) && r.Contains("Done", StringComparison.Ordinal));
        Assert.Equal("Cancel upload", cut.Find("[data-testid=upload-cancel]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=upload-retry]"));
    }

    [Fact]
    public async Task Progress_FileFailed_ShowsErrorAndRetryFailed()
    {
        var cut = Render();
        await SelectAsync(cut, ThreeFiles);
        await ReportAsync(cut, Uploading(0));

        await ReportAsync(cut, new UploadProgress(
            UploadPhase.Failed, 2_400_000, 12_400_000, 0, null, "1 file failed to upload.", null,
            [
                new UploadFileChange(0, 0, UploadFileStatus.Failed, "The file is larger than the 5 GB limit."),
                new UploadFileChange(1, 2 * MB, UploadFileStatus.Done, null),
                new UploadFileChange(2, 400_000, UploadFileStatus.Done, null),
            ]));

        Assert.Equal("Retry failed", cut.Find("[data-testid=upload-retry]").TextContent.Trim());
        Assert.Equal("The file is larger than the 5 GB limit.", cut.Find("[data-testid=upload-file-error]").TextContent.Trim());
        Assert.Contains("1 file failed to upload.", cut.Find("[data-testid=upload-message]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("MB/s", cut.Find("[data-testid=upload-status]").TextContent, StringComparison.Ordinal);
        // The failed file leads the list so it is seen among many.
        Assert.Contains("data/train.csv", cut.FindAll("[data-testid=upload-file]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryFailed_Clicked_AsksTheModuleToRetry()
    {
        var module = Context.JSInterop.SetupModule("./" + ArtifactUploader.ModulePath);
        var uploader = module.SetupModule("createUploader", _ => true);
        uploader.SetupVoid("retryFailed").SetVoidResult();
        var cut = Render();
        await SelectAsync(cut, ThreeFiles);
        await ReportAsync(cut, new UploadProgress(UploadPhase.Failed, 0, 12_400_000, 0, null, "3 files failed to upload.", null,
            [new UploadFileChange(0, 0, UploadFileStatus.Failed, "Network error")]));

        await cut.Find("[data-testid=upload-retry]").ClickAsync(new());

        uploader.VerifyInvoke("retryFailed");
    }

    [Fact]
    public async Task Committed_ShowsSummaryAndCallsBack()
    {
        var committed = 0;
        var cut = Render(version => committed = version);
        await SelectAsync(cut, ThreeFiles);
        await ReportAsync(cut, Uploading(12_400_000,
            [.. ThreeFiles.Select(f => new UploadFileChange(f.Index, f.Size, UploadFileStatus.Done, null))]));

        await cut.InvokeAsync(() => cut.Instance.OnUploadCommittedAsync(4));

        Assert.Equal("Uploaded 3 files (12 MB) as v4", cut.Find("[data-testid=upload-done]").TextContent.Trim());
        Assert.Equal(4, committed);
        Assert.Empty(cut.FindAll("[data-testid=upload-cancel]"));
    }

    [Fact]
    public async Task Progress_Committing_SaysTheVersionIsBeingCreated()
    {
        var cut = Render();
        await SelectAsync(cut, ThreeFiles);

        await ReportAsync(cut, new UploadProgress(UploadPhase.Committing, 12_400_000, 12_400_000, 0, null, null, null, []));

        Assert.Equal("All 3 files sent; creating the version…", cut.Find("[data-testid=upload-status]").TextContent);
    }

    [Fact]
    public async Task Select_HundredsOfFiles_ShowsFirstHundredAndCountsTheRest()
    {
        var cut = Render();
        var files = Enumerable.Range(0, 340).Select(i => new SelectedUploadFile(i, $"frames/{i:D4}.png", 1000)).ToArray();

        await cut.InvokeAsync(() => cut.Instance.OnFilesSelectedAsync(files[..200], reset: true, complete: false));
        await cut.InvokeAsync(() => cut.Instance.OnFilesSelectedAsync(files[200..], reset: false, complete: true));

        Assert.Equal(ArtifactUploader.MaxVisibleFiles, cut.FindAll("[data-testid=upload-file]").Count);
        Assert.Equal("and 240 more", cut.Find("[data-testid=upload-more]").TextContent.Trim());
        Assert.Equal(340, cut.Instance.FileCount);
    }

    [Fact]
    public async Task Progress_Cancelled_SaysSoAndOffersToStartAgain()
    {
        var cut = Render();
        await SelectAsync(cut, ThreeFiles);

        await ReportAsync(cut, new UploadProgress(UploadPhase.Cancelled, 0, 12_400_000, 0, null, "Upload cancelled.", null, []));

        Assert.Contains("Upload cancelled.", cut.Find("[data-testid=upload-message]").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "Upload again");
    }
}
