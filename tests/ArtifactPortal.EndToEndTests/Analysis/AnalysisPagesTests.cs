using System.Globalization;
using System.Security.Claims;
using System.Text;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.EndToEndTests.Pages;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Analysis;

/// <summary>Holds the portal's one Hangfire worker busy, so a test can see jobs queued before they run.</summary>
public static class WorkerGate
{
    private static TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Close()
    {
        _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Until the worker holds the gate job, it could take a job enqueued later first (the analysis queue comes before
    /// the default one), and that job would not stay queued.
    /// </summary>
    public static Task HeldAsync() => _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public static void Open() => _open.TrySetResult();

    /// <summary>The Hangfire job that waits for <see cref="Open"/> (at most a minute).</summary>
    public static async Task WaitAsync()
    {
        _entered.TrySetResult();
        await _open.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }
}

[Collection(PortalSuite.Name)]
public sealed class AnalysisPagesTests(PortalFixture fixture)
{
    [Fact]
    public async Task VersionPage_CsvAndImage_ShowsQueuedJobsThenStatisticsAndThumbnailWithoutReload()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("analyst"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Churn {suffix}", $"churn-{suffix}");
        var owner = await fixture.PrincipalAsync(email);
        var created = await fixture.Services.GetRequiredService<ArtifactService>().CreateAsync(owner, slug, new NewArtifact("customers", ArtifactType.Dataset));
        Assert.True(created.Succeeded, created.ErrorMessage);

        WorkerGate.Close();
        fixture.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => WorkerGate.WaitAsync());
        try
        {
            await WorkerGate.HeldAsync();
            await CommitAsync(owner, slug, ("customers.csv", CustomersCsv()), ("images/shop.png", ShopPng()));

            // The circuit starts only after the jobs have finished: the page must still see them finish (the notification,
            // the new thumbnails), not just show them done.
            var page = await fixture.NewSignedInPageAsync(email);
            var blazorScript = await HeldRequests.HoldAsync(page, "**/_framework/blazor.web*.js*");
            await page.GotoAsync($"p/{slug}/artifacts/customers/v1", new() { WaitUntil = WaitUntilState.Commit });
            var statisticsJob = page.Locator("[data-testid=analysis-job][data-kind=Statistics]");
            await Expect(statisticsJob.GetByTestId("analysis-job-status")).ToHaveTextAsync("queued");
            await page.EvaluateAsync("() => window.__sameDocument = true");
            await fixture.ScreenshotAsync(page, "analysis-jobs-queued");

            WorkerGate.Open();
            await WaitForJobsAsync(owner, slug, "customers", "v1");
            blazorScript.Release();

            await Expect(statisticsJob.GetByTestId("analysis-job-status")).ToHaveTextAsync("done", new() { Timeout = 60_000 });
            await Expect(page.Locator("[data-testid=analysis-job][data-kind=Thumbnail] [data-testid=analysis-job-status]"))
                .ToHaveTextAsync("done", new() { Timeout = 60_000 });
            await Expect(page.GetByText("Statistics ready for customers.csv")).ToBeVisibleAsync();
            await Expect(page.Locator("img[data-testid=version-cover]")).ToBeVisibleAsync();
            await Expect(page.Locator("img[data-testid=file-thumbnail]")).ToHaveCountAsync(1);
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('img[data-testid=version-cover]').naturalWidth > 0"));
            await fixture.ScreenshotAsync(page, "analysis-jobs-done");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Statistics" }).ClickAsync();
            await Expect(page.GetByTestId("column-row")).ToHaveCountAsync(4);
            await Expect(page.GetByTestId("column-name")).ToHaveTextAsync(["customer_id", "age", "spend", "segment"]);
            await fixture.ScreenshotAsync(page, "analysis-statistics-tab");
            await page.GetByTestId("column-row").Nth(2).ClickAsync();
            await Expect(page.GetByTestId("column-detail-name")).ToHaveTextAsync("spend");
            await Expect(page.Locator("[data-testid=column-histogram] .js-plotly-plot")).ToBeVisibleAsync();
            await fixture.ScreenshotAsync(page, "analysis-column-detail");
            // A look at the files and back: the tab is as it was left, the chosen column still open.
            await page.GetByRole(AriaRole.Tab, new() { Name = "Files" }).ClickAsync();
            await Expect(page.GetByTestId("version-files")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("column-detail-name")).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Statistics" }).ClickAsync();
            await Expect(page.GetByTestId("column-detail-name")).ToHaveTextAsync("spend");
            await Expect(page.Locator("[data-testid=column-histogram] .js-plotly-plot")).ToBeVisibleAsync();
            // All of it arrived over the circuit: the document was never reloaded.
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));

            await page.GotoAsync($"p/{slug}/artifacts");
            await Expect(page.Locator("img[data-testid=artifact-cover]")).ToBeVisibleAsync();
            await fixture.ScreenshotAsync(page, "analysis-artifact-list-covers");
        }
        finally
        {
            WorkerGate.Open();
        }
    }

    [Fact]
    public async Task StatisticsTab_CompareWithEarlierVersion_ShowsDriftBadges()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("drift"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Drift {suffix}", $"drift-{suffix}");
        var owner = await fixture.PrincipalAsync(email);
        Assert.True((await fixture.Services.GetRequiredService<ArtifactService>().CreateAsync(owner, slug, new NewArtifact("customers", ArtifactType.Dataset))).Succeeded);
        await CommitAsync(owner, slug, ("customers.csv", CustomersCsv()));
        await CommitAsync(owner, slug, ("customers.csv", CustomersCsv(rows: 2400, spendShift: 80)));
        // This test is about comparing; the live appearance of results is the test above. Both versions' statistics first.
        await WaitForStatisticsAsync(owner, slug, "v1");
        await WaitForStatisticsAsync(owner, slug, "v2");

        var page = await fixture.NewSignedInPageAsync(email);
        await page.GotoAsync($"p/{slug}/artifacts/customers/v2");
        await new PortalLayout(page).WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Statistics" }).ClickAsync();
        // The tab fills in by itself when the job finishes.
        await Expect(page.Locator("[data-testid=analysis-job][data-kind=Statistics] [data-testid=analysis-job-status]"))
            .ToHaveTextAsync("done", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("column-row")).ToHaveCountAsync(4);
        await page.GetByTestId("statistics-compare-picker").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "v1" }).ClickAsync();

        await Expect(page.GetByTestId("compare-rows")).ToContainTextAsync("2,000 → 2,400");
        var spend = page.GetByTestId("compare-column").Filter(new() { HasText = "spend" });
        await Expect(spend.GetByTestId("drift-badge")).ToHaveTextAsync("significant drift");
        await fixture.ScreenshotAsync(page, "analysis-compare");
    }

    private async Task WaitForJobsAsync(ClaimsPrincipal owner, string slug, string name, string reference)
    {
        var analysis = fixture.Services.GetRequiredService<AnalysisService>();
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var jobs = await analysis.GetJobsAsync(owner, slug, name, reference);
            if (jobs.Count > 0 && jobs.All(j => !j.IsActive))
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"The jobs of {name}:{reference} did not finish within a minute.");
    }

    private async Task WaitForStatisticsAsync(ClaimsPrincipal owner, string slug, string reference)
    {
        var analysis = fixture.Services.GetRequiredService<AnalysisService>();
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var jobs = await analysis.GetJobsAsync(owner, slug, "customers", reference);
            if (jobs.Any(j => j.Kind == AnalysisKind.Statistics && j.Status == AnalysisStatus.Succeeded))
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"The statistics of customers:{reference} were not computed within a minute.");
    }

    private async Task CommitAsync(ClaimsPrincipal owner, string slug, params (string Path, byte[] Content)[] files)
    {
        var uploads = fixture.Services.GetRequiredService<UploadService>();
        var upload = await uploads.BeginAsync(owner, slug, "customers", new BeginUpload([.. files.Select(f => new UploadFileRequest(f.Path, f.Content.Length))]));
        for (var i = 0; i < files.Length; i++)
        {
            await uploads.PutFileAsync(owner, upload.Id, i, new MemoryStream(files[i].Content), sha256: null);
        }

        await uploads.CommitAsync(owner, upload.Id);
    }

    private static byte[] CustomersCsv(int rows = 2000, double spendShift = 0)
    {
        var random = new Random(rows);
        var csv = new StringBuilder("customer_id,age,spend,segment\n");
        string[] segments = ["retail", "business", "student"];
        for (var i = 0; i < rows; i++)
        {
            var age = i % 17 == 0 ? "" : (18 + random.Next(60)).ToString(CultureInfo.InvariantCulture);
            var spend = (Math.Exp(random.NextDouble() * 4) * 10 + spendShift).ToString("0.00", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"C{i:00000},{age},{spend},{segments[random.Next(3)]}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>A colourful 800×600 PNG made with libvips.</summary>
    private static byte[] ShopPng()
    {
        using var x = NetVips.Image.Xyz(800, 600);
        using var bands = x[0].Bandjoin(x[1], (x[0] + x[1]) / 2);
        using var image = (bands * new double[] { 0.3, 0.4, 0.2 }).Cast(NetVips.Enums.BandFormat.Uchar);
        return image.WriteToBuffer(".png");
    }
}
