using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Evaluations;

/// <summary>An Evaluation version's tab, the model's evaluations compared, and training data drift on a promotion request.</summary>
[Collection(PortalSuite.Name)]
public sealed class EvaluationPagesTests(PortalFixture fixture)
{
    [Fact]
    public async Task EvaluationTab_ModelComparison_AndRequestPageTrainingDataDrift()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("evaluator"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await fixture.CreateProjectAsync(email, $"Churn eval {suffix}", $"churn-eval-{suffix}");
        var owner = await fixture.PrincipalAsync(email);
        var artifacts = fixture.Services.GetRequiredService<ArtifactService>();
        foreach (var (name, type) in new[] { ("customers", ArtifactType.Dataset), ("churn", ArtifactType.Model), ("churn-eval", ArtifactType.Evaluation) })
        {
            Assert.True((await artifacts.CreateAsync(owner, slug, new NewArtifact(name, type))).Succeeded);
        }

        await CommitAsync(owner, slug, "customers", null, null, ("customers.csv", CustomersCsv(2000, 0)));
        await CommitAsync(owner, slug, "customers", null, null, ("customers.csv", CustomersCsv(2400, 80)));
        var runs = fixture.Services.GetRequiredService<RunService>();
        for (var v = 1; v <= 2; v++)
        {
            var run = await runs.CreateAsync(owner, slug, new NewRun(Name: $"train-{v}"));
            await runs.AddInputAsync(owner, slug, run.Number, $"{slug}/customers:v{v}");
            await CommitAsync(owner, slug, "churn", run.Id, null, ("model.bin", Encoding.UTF8.GetBytes($"weights {v}")));
            var accuracy = v == 1 ? "0.81" : "0.86";
            await CommitAsync(owner, slug, "churn-eval", null, $"{slug}/churn:v{v}",
                ("metrics.json", Encoding.UTF8.GetBytes($"{{\"accuracy\": {accuracy}, \"auc\": 0.9{v}, \"per_class\": {{\"churned\": {{\"f1\": 0.7{v}}}, \"stayed\": {{\"f1\": 0.8{v}}}}}}}")),
                ("per_split.csv", Encoding.UTF8.GetBytes($"split,precision,recall\nvalidation,0.7{v},0.6{v}\ntest,0.6{v},0.5{v}\n")));
        }

        await WaitForStatisticsAsync(owner, slug, "v1");
        await WaitForStatisticsAsync(owner, slug, "v2");
        var promotions = fixture.Services.GetRequiredService<PromotionService>();
        await promotions.OverrideAsync(owner, slug, "churn", "production", 1, "first production model");
        var request = await promotions.CreateAsync(owner, slug, "churn", new NewPromotionRequest("production", 2, "Retrained on the Q3 customers"));

        var page = await fixture.NewSignedInPageAsync(email);
        await page.GotoAsync($"p/{slug}/artifacts/churn-eval/v2");
        await new PortalLayout(page).WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
        await Expect(page.GetByTestId("evaluation-row")).ToHaveCountAsync(8);
        await Expect(page.GetByTestId("evaluation-row").First).ToContainTextAsync("accuracy");
        await Expect(page.Locator("[data-testid=evaluation-chart] .js-plotly-plot")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "evaluation-tab");

        await page.GotoAsync($"p/{slug}/models/churn");
        // A link clicked before the circuit has taken over the prerendered page can be undone when it starts.
        await new PortalLayout(page).WaitForInteractiveAsync();
        await page.GetByTestId("compare-evaluations").ClickAsync();
        await Expect(page.GetByTestId("evaluations-version")).ToHaveCountAsync(2);
        var accuracyRow = page.GetByTestId("evaluations-row").Filter(new() { HasText = "accuracy" });
        await Expect(accuracyRow.GetByTestId("evaluations-difference")).ToHaveTextAsync("+0.05");
        await Expect(page.Locator("[data-testid=evaluation-chart] .js-plotly-plot")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "evaluation-model-comparison");

        await page.GotoAsync($"p/{slug}/promotions/{request.Summary.Number}");
        var data = page.GetByTestId("training-data");
        await Expect(data).ToHaveCountAsync(1);
        await Expect(data).ToContainTextAsync("customers");
        await Expect(data.GetByTestId("compare-rows")).ToContainTextAsync("2,000 → 2,400");
        await Expect(data.GetByTestId("compare-column").Filter(new() { HasText = "spend" }).GetByTestId("drift-badge")).ToHaveTextAsync("significant drift");
        await fixture.ScreenshotAsync(page, "evaluation-request-training-drift");
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

    private async Task CommitAsync(ClaimsPrincipal owner, string slug, string name, Guid? runId, string? model, params (string Path, byte[] Content)[] files)
    {
        var uploads = fixture.Services.GetRequiredService<UploadService>();
        var metadata = model is null ? null : new Dictionary<string, JsonElement> { ["model"] = JsonSerializer.SerializeToElement(model) };
        var upload = await uploads.BeginAsync(owner, slug, name, new BeginUpload([.. files.Select(f => new UploadFileRequest(f.Path, f.Content.Length))], metadata, runId));
        for (var i = 0; i < files.Length; i++)
        {
            await uploads.PutFileAsync(owner, upload.Id, i, new MemoryStream(files[i].Content), sha256: null);
        }

        await uploads.CommitAsync(owner, upload.Id);
    }

    private static byte[] CustomersCsv(int rows, double spendShift)
    {
        var random = new Random(rows);
        var csv = new StringBuilder("customer_id,age,spend\n");
        for (var i = 0; i < rows; i++)
        {
            var spend = (Math.Exp(random.NextDouble() * 4) * 10 + spendShift).ToString("0.00", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"C{i:00000},{18 + random.Next(60)},{spend}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
