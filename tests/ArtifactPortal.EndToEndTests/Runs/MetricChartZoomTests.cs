using ArtifactPortal.Core.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Runs;

/// <summary>Zooming a run's chart reads the visible steps at full resolution; a double-click goes back to the whole series.</summary>
[Collection(PortalSuite.Name)]
public sealed class MetricChartZoomTests(PortalFixture fixture)
{
    private const int Points = 10_000;

    /// <summary>The first line of the chart as Plotly holds it: point count, first and last step, and the x axis range shown.</summary>
    private const string Line = """
        () => {
            const chart = document.querySelector('[data-testid=metric-chart][data-metric=loss] .js-plotly-plot');
            const x = chart?.data?.[0]?.x;
            const range = chart?._fullLayout?.xaxis?.range ?? [NaN, NaN];
            return x ? [x.length, Number(x[0]), Number(x[x.length - 1]), Number(range[0]), Number(range[1])] : null;
        }
        """;

    [Fact]
    public async Task RunChart_ZoomThenDoubleClick_ReadsFullResolutionThenWholeSeries()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("zoom"));
        var owner = await fixture.PrincipalAsync(email);
        var slug = await fixture.CreateProjectAsync(email, "Zoom", $"zoom-{Guid.NewGuid().ToString("N")[..6]}");
        var run = await fixture.Services.GetRequiredService<RunService>().CreateAsync(owner, slug, new NewRun("zoom", "long-run"));
        var metrics = fixture.Services.GetRequiredService<MetricService>();
        for (var start = 0; start < Points; start += 1_000)
        {
            await metrics.LogAsync(owner, slug, run.Number, [.. Enumerable.Range(start, 1_000).Select(step => new NewMetricPoint("loss", step, Math.Sin(step / 50.0), null))]);
        }

        var page = await fixture.NewSignedInPageAsync(email);
        await page.GotoAsync($"p/{slug}/runs/{run.Number}");
        var chart = page.Locator("[data-testid=metric-chart][data-metric=loss]");
        await Expect(chart.Locator(".js-plotly-plot")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var whole = await LineAsync(page, line => line[0] < Points);
        Assert.True(whole[1] == 0 && whole[2] == Points - 1, $"The chart starts with the whole series, downsampled: {string.Join(", ", whole)}");

        // The x range a drag over steps 4,500–5,500 gives, set through Plotly so the same relayout event reaches the portal.
        await page.EvaluateAsync("""
            () => Plotly.relayout(document.querySelector('[data-testid=metric-chart][data-metric=loss] .js-plotly-plot'),
                { 'xaxis.range[0]': 4500, 'xaxis.range[1]': 5500 })
            """);
        await LineAsync(page, line => line[4] - line[3] < Points / 5);
        var zoomed = await LineAsync(page, line => line[2] - line[1] < Points / 5);
        Assert.True(zoomed[0] == zoomed[2] - zoomed[1] + 1,
            $"Zoomed in, every step of the visible range is drawn (full resolution): {string.Join(", ", zoomed)}");

        await chart.Locator(".nsewdrag").DblClickAsync();
        var reset = await LineAsync(page, line => line[1] == 0 && line[2] == Points - 1);
        Assert.True(reset[0] < Points, $"After the double-click the whole series is back, downsampled again: {string.Join(", ", reset)}");
        await page.Context.CloseAsync();
    }

    /// <summary>Waits until the chart's first line satisfies <paramref name="done"/> and answers it.</summary>
    private static async Task<long[]> LineAsync(IPage page, Func<long[], bool> done)
    {
        long[]? last = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var line = await page.EvaluateAsync<double[]?>(Line);
            last = line?.Select(v => (long)v).ToArray();
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(150);
        }

        throw new TimeoutException($"The chart did not change as expected; last seen: {(last is null ? "no chart" : string.Join(", ", last))}");
    }
}
