using System.Diagnostics;
using System.Globalization;
using ArtifactPortal.Core.Runs;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Runs;

/// <summary>
/// How long the run page and the compare page take until every chart is drawn, for 10 runs × 5 metrics. The issue's target
/// is 100,000 points a series under 2 s; seeding that many points takes minutes here, so the size comes from
/// <c>ARTIFACTPORTAL_CHART_POINTS</c> (default 10,000) and the test prints what it measured.
/// </summary>
[Collection(PortalSuite.Name)]
public sealed class MetricChartsLoadTests(PortalFixture fixture, ITestOutputHelper output)
{
    private const int Runs = 10;
    private static readonly string[] Keys = ["loss", "accuracy", "val/loss", "val/accuracy", "lr"];

    /// <summary>
    /// Where the browser spends the page load: time inside Plotly's newPlot/react calls (synchronous part, per call with its
    /// first trace's type), and long tasks (over 50 ms of script, layout or paint at once) until the measurement is read.
    /// </summary>
    private const string BrowserTimings = """
        window.__portalTimings = { plotlyMs: 0, plotlyCalls: [], longTaskMs: 0, longTasks: 0 };
        new PerformanceObserver(list => list.getEntries().forEach(e => {
            window.__portalTimings.longTaskMs += Math.round(e.duration);
            window.__portalTimings.longTasks++;
        })).observe({ type: 'longtask', buffered: true });
        let plotly;
        Object.defineProperty(window, 'Plotly', {
            configurable: true,
            get() { return plotly; },
            set(value) {
                plotly = value;
                for (const name of ['newPlot', 'react']) {
                    const original = value[name];
                    value[name] = function (...args) {
                        const start = performance.now();
                        try { return original.apply(this, args); }
                        finally {
                            const ms = Math.round(performance.now() - start);
                            window.__portalTimings.plotlyMs += ms;
                            window.__portalTimings.plotlyCalls.push(`${args[1]?.[0]?.type ?? 'scatter'} ${ms}`);
                        }
                    };
                }
            },
        });
        """;

    [Fact]
    public async Task TenRunsFiveMetrics_RunAndComparePages_DrawEveryChart()
    {
        var pointsPerSeries = int.TryParse(Environment.GetEnvironmentVariable("ARTIFACTPORTAL_CHART_POINTS"), CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("charts"));
        var owner = await fixture.PrincipalAsync(email);
        var slug = await fixture.CreateProjectAsync(email, "Charts", $"charts-{Guid.NewGuid().ToString("N")[..6]}");
        var runs = fixture.Services.GetRequiredService<RunService>();
        var store = fixture.Services.GetRequiredService<IMetricStore>();
        var seeding = Stopwatch.StartNew();
        for (var r = 0; r < Runs; r++)
        {
            var run = await runs.CreateAsync(owner, slug, new NewRun("load", $"run-{r}", new Dictionary<string, string>
            {
                ["lr"] = Math.Round(0.001 * (r + 1), 4).ToString(CultureInfo.InvariantCulture),
                ["depth"] = (r % 3).ToString(CultureInfo.InvariantCulture),
            }));
            for (var start = 0; start < pointsPerSeries; start += 1_000)
            {
                var batch = Keys.SelectMany(key => Enumerable.Range(start, Math.Min(1_000, pointsPerSeries - start))
                    .Select(step => new NewMetricPoint(key, step, Math.Exp(-step / (pointsPerSeries / 4.0)) + (r * 0.02) + (Math.Sin(step + r) * 0.02), 1_700_000_000_000 + (step * 100L)))).ToList();
                await store.AppendAsync(run.Id, batch, DateTimeOffset.UtcNow, CancellationToken.None);
            }
        }

        output.WriteLine($"Seeded {Runs} runs × {Keys.Length} metrics × {pointsPerSeries:N0} points in {seeding.Elapsed.TotalSeconds:N1} s");

        // Server side alone, in this process: the compare page's points in one batched call (series read from the database),
        // then warm against the former way of one permission check and lookup per series.
        var metrics = fixture.Services.GetRequiredService<MetricService>();
        var numbers = Enumerable.Range(1, Runs).ToList();
        var cold = Stopwatch.StartNew();
        var series = await metrics.GetSeriesForRunsAsync(owner, slug, numbers, keys: null, new MetricRange());
        cold.Stop();
        Assert.Equal(Runs * Keys.Length, series.Count);
        var (oneByOne, batched) = (new List<double>(), new List<double>());
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var number in numbers)
            {
                foreach (var key in Keys)
                {
                    await metrics.GetPointsAsync(owner, slug, number, key, new MetricRange());
                }
            }

            oneByOne.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await metrics.GetSeriesForRunsAsync(owner, slug, numbers, keys: null, new MetricRange());
            batched.Add(watch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"Compare page points, server side: batched from the database {cold.ElapsedMilliseconds} ms; cached, one call per series " +
            $"{string.Join(" / ", oneByOne.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms against batched " +
            $"{string.Join(" / ", batched.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms (load {File.ReadAllText("/proc/loadavg")[..14]})");

        var page = await fixture.NewSignedInPageAsync(email);
        await page.AddInitScriptAsync(BrowserTimings);
        long circuitBytes = 0;
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => Interlocked.Add(ref circuitBytes, frame.Binary?.Length ?? frame.Text?.Length ?? 0);
        var runPage = Stopwatch.StartNew();
        await page.GotoAsync($"p/{slug}/runs/1");
        await Expect(page.Locator("[data-testid=metric-chart] .js-plotly-plot")).ToHaveCountAsync(Keys.Length, new() { Timeout = 60_000 });
        runPage.Stop();
        await fixture.ScreenshotAsync(page, "metric-charts-run");

        Interlocked.Exchange(ref circuitBytes, 0);
        var comparePage = Stopwatch.StartNew();
        await page.GotoAsync($"p/{slug}/runs/compare?runs={string.Join(',', Enumerable.Range(1, Runs))}");
        await Expect(page.Locator("[data-testid=compare-chart] .js-plotly-plot")).ToHaveCountAsync(Keys.Length, new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("compare-chart").First.Locator(".legendtext")).ToHaveCountAsync(Runs);
        comparePage.Stop();
        // The parallel coordinates below the fold draw when scrolled to (WebGL, slow without a GPU): timed on their own.
        var relations = Stopwatch.StartNew();
        await page.GetByTestId("compare-relations").ScrollIntoViewIfNeededAsync();
        await Expect(page.GetByTestId("compare-parcoords").Locator(".js-plotly-plot")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        relations.Stop();
        var compareBytes = Interlocked.Read(ref circuitBytes);
        var browser = await page.EvaluateAsync<string>("() => JSON.stringify(window.__portalTimings)");
        await fixture.ScreenshotAsync(page, "metric-charts-compare");

        // Again, with every series in the portal's in-memory metric cache.
        var warm = Stopwatch.StartNew();
        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=compare-chart] .js-plotly-plot")).ToHaveCountAsync(Keys.Length, new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("compare-chart").First.Locator(".legendtext")).ToHaveCountAsync(Runs);
        warm.Stop();

        output.WriteLine($"Run page (5 charts, series read from the database) drawn in {runPage.ElapsedMilliseconds} ms; compare page " +
            $"(5 charts × 10 runs) in {comparePage.ElapsedMilliseconds} ms, reloaded (cached series) in {warm.ElapsedMilliseconds} ms");
        output.WriteLine($"Params against a metric (parallel coordinates and scatter) drawn {relations.ElapsedMilliseconds} ms after being scrolled to");
        output.WriteLine($"Compare page, first load: {compareBytes / 1024.0:N0} KiB received over the circuit; in the browser (ms): {browser}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"METRIC compare page interactive, {Runs} runs × {Keys.Length} metrics × {pointsPerSeries:N0} points: first load {comparePage.ElapsedMilliseconds} ms, reload {warm.ElapsedMilliseconds} ms (load {File.ReadAllText("/proc/loadavg")[..14]})"));
        Assert.True(warm.Elapsed < TimeSpan.FromSeconds(20), $"The compare page took {warm.Elapsed}.");
        await page.Context.CloseAsync();
    }
}
