using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.EndToEndTests.Pages;
using ArtifactPortal.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Runs;

/// <summary>A newcomer's first minute: the example training script reports to the portal, then the pages show its work.</summary>
[Collection(PortalSuite.Name)]
public sealed class PythonTrainingScriptTests(PortalFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task ExampleScript_TwoRuns_ArtifactsTheyProducedAppearInThePortal()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("python"));
        var owner = await fixture.PrincipalAsync(email);
        var slug = await fixture.CreateProjectAsync(email, "Blobs", $"blobs-{Guid.NewGuid().ToString("N")[..6]}");
        var token = await fixture.Services.GetRequiredService<PersonalAccessTokenService>()
            .CreateAsync(owner, new NewPersonalAccessToken("e2e python", TokenScopes.Read | TokenScopes.Write, 1, []));
        Assert.True(token.Succeeded, token.ErrorMessage);

        var result = await PythonClientProcess.RunAsync(
            new Uri($"http://127.0.0.1:{fixture.BaseUrl.Port}/"), token.Value!.Token, new Dictionary<string, string>(), TimeSpan.FromMinutes(3),
            "examples/train.py", "--project", slug, "--runs", "2", "--epochs", "2");
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"examples/train.py exited with {result.ExitCode}:\n{result.Output}");

        var page = await fixture.NewSignedInPageAsync(email);
        var artifacts = new ArtifactPages(page);
        await artifacts.OpenAsync($"p/{slug}/artifacts", "Blobs");
        await Expect(page.GetByTestId("artifact-link")).ToHaveCountAsync(3);
        await Expect(artifacts.ArtifactLink("blobs-classifier")).ToBeVisibleAsync();
        await Expect(artifacts.ArtifactLink("blobs-evaluation")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "python-example-artifacts");

        // Each run logged a model version; the newest carries the alias the script set.
        await artifacts.ArtifactLink("blobs-classifier").ClickAsync();
        await Expect(artifacts.Versions).ToHaveCountAsync(2);
        await Expect(artifacts.Versions.First).ToContainTextAsync("candidate");
        await artifacts.VersionLink(2).ClickAsync();
        await Expect(artifacts.Identifier).ToHaveTextAsync($"{slug}/blobs-classifier:v2");
        await Expect(artifacts.MetadataRows).ToHaveCountAsync(2);
        await fixture.ScreenshotAsync(page, "python-example-model-version");

        // The last training run's page: what the script logged.
        var summary = System.Text.Json.JsonDocument.Parse(result.Output.Trim().Split('\n')[^1]).RootElement;
        await page.GotoAsync($"p/{slug}/runs/{summary.GetProperty("run").GetInt32()}");
        await Expect(page.GetByTestId("run-params")).ToContainTextAsync("batch_size");
        await Expect(page.GetByTestId("run-metrics")).ToContainTextAsync("train/loss");
        await Expect(page.GetByTestId("run-artifacts")).ToContainTextAsync("blobs-classifier");
        await fixture.ScreenshotAsync(page, "python-example-run");

        // One chart per metric key the run logged, each drawn by Plotly.
        var lastRun = summary.GetProperty("run").GetInt32();
        var keys = await fixture.Services.GetRequiredService<MetricService>().ListAsync(owner, slug, lastRun);
        Assert.NotEmpty(keys);
        await Expect(page.GetByTestId("metric-chart")).ToHaveCountAsync(keys.Count);
        await Expect(page.Locator("[data-testid=metric-chart] .js-plotly-plot")).ToHaveCountAsync(keys.Count);
        await Expect(page.Locator("[data-testid=metric-chart] .js-plotly-plot .main-svg").First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "python-example-run-charts");

        // Select both runs in the runs table and compare them: overlaid lines with one legend entry per run.
        await page.GotoAsync($"p/{slug}/runs");
        await new PortalLayout(page).WaitForInteractiveAsync();
        var checkboxes = page.Locator("[data-testid=run-grid] tbody tr input[type=checkbox]");
        await Expect(checkboxes.Nth(1)).ToBeVisibleAsync();
        await checkboxes.Nth(0).CheckAsync();
        await checkboxes.Nth(1).CheckAsync();
        await page.GetByTestId("compare-runs").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/compare\?runs=\d+,\d+$"));
        var numbers = new Uri(page.Url).Query.Split('=')[1].Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var compared = await fixture.Services.GetRequiredService<MetricService>().CompareAsync(owner, slug, numbers);
        Assert.Equal(2, compared.Count);
        var lossChart = page.Locator("[data-testid=compare-chart][data-metric='train/loss']");
        await Expect(lossChart.Locator(".legendtext")).ToHaveTextAsync([.. compared.Select(r => r.Name)]);
        await page.GetByTestId("compare-relations").ScrollIntoViewIfNeededAsync();
        await Expect(page.GetByTestId("compare-parcoords").Locator(".js-plotly-plot")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("compare-scatter").Locator(".js-plotly-plot")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "python-example-compare");

        await page.Context.CloseAsync();
    }
}
