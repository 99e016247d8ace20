using System.Globalization;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Features.Runs;
using ArtifactPortal.Web.Features.Runs.Charts;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace ArtifactPortal.Web.Tests.Features.Runs.Charts;

public sealed class RunChartsComponentTests : ArtifactPageTestBase
{
    private static readonly double[] Losses = [4, 2, double.NaN, 1, 0.5];

    [Fact]
    public async Task RunCharts_TwoMetrics_OneChartEachWithTheSmoothedLineOverAFaintRawLine()
    {
        var run = await CreateRunWithMetricsAsync("fast", 0.1);
        SignIn(Owner);

        var charts = RenderPage<RunMetricCharts>(("Run", run), ("Smoothing", 0.5));

        charts.WaitForAssertion(() => Assert.Equal(2, charts.FindComponents<PlotlyChart>().Count));
        Assert.Equal(["acc", "loss"], charts.FindAll("[data-testid=metric-chart]").Select(c => c.GetAttribute("data-metric")));
        var loss = Chart(charts, 1);
        var traces = loss.Data.Cast<Scatter>().ToList();
        Assert.Equal(["loss (raw)", "loss", "loss (non-finite)"], traces.Select(t => t.Name));
        Assert.Equal(0.25m, traces[0].Opacity);
        Assert.Equal([4.0, 2.0, null, 1.0, 0.5], traces[0].Y);
        var expected = MetricChartData.Ema(Losses, 0.5);
        Assert.Equal(expected.Select(v => (object?)v), traces[1].Y);
        Assert.Equal(4.0 * 0.25 / 0.75 + 2.0 * 0.5 / 0.75, (double)traces[1].Y[1]!, 9);
        Assert.Equal(["NaN"], traces[2].TextArray);
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear, loss.Layout.YAxis[0].Type);
    }

    [Fact]
    public async Task RunCharts_LogScaleToggled_EveryChartHasALogYAxis()
    {
        var run = await CreateRunWithMetricsAsync("fast", 0.1);
        SignIn(Owner);
        var charts = RenderPage<RunMetricCharts>(("Run", run));
        charts.WaitForAssertion(() => Assert.Equal(2, charts.FindComponents<PlotlyChart>().Count));

        charts.Find("[data-testid=run-metric-charts] input[type=checkbox]").Change(true);

        charts.WaitForAssertion(() => Assert.All(
            charts.FindComponents<PlotlyChart>(),
            chart => Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log, chart.Instance.Layout.YAxis[0].Type)));
    }

    [Fact]
    public async Task ComparePage_TwoRuns_OneLegendEntryPerRunAndTheDifferingParamHighlighted()
    {
        await CreateRunWithMetricsAsync("fast", 0.1);
        await CreateRunWithMetricsAsync("slow", 0.001, createProject: false);
        SignIn(Owner);
        var module = Context.JSInterop.SetupModule(MetricOverlayChart.ModulePath);
        module.SetupVoid("draw", _ => true).SetVoidResult();

        Services.GetRequiredService<NavigationManager>().NavigateTo($"p/{Slug}/runs/compare?runs=1,2");
        var page = RenderPage<RunComparePage>(("Slug", Slug));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=compare-chart]").Count));
        // One draw call per metric chart, each with its lines; the NaN of "fast" becomes a gap and a marker.
        page.WaitForAssertion(() => Assert.Equal(2, module.Invocations["draw"].Count));
        var loss = page.FindComponents<MetricOverlayChart>().Single(c => c.Instance.Lines.Any(l => l.GapText.Count > 0)).Instance;
        Assert.Equal(["fast", "slow"], loss.Lines.Select(l => l.Name));
        Assert.Equal(["NaN"], loss.Lines[0].GapText);
        Assert.Equal([4.0, 2.0, null, 1.0, 0.5], loss.Lines[0].Y);
        Assert.NotEqual(loss.Lines[0].Color, loss.Lines[1].Color);
        Assert.Equal("true", page.Find("[data-testid=compare-param][data-param=lr]").GetAttribute("data-differs"));
        Assert.Equal("false", page.Find("[data-testid=compare-param][data-param=opt]").GetAttribute("data-differs"));
        // The params-against-a-metric charts wait until their section is scrolled to.
        Assert.Empty(page.FindComponents<PlotlyChart>());
        var below = page.FindComponent<WhenVisible>();
        Assert.Equal("false", below.Find("div").GetAttribute("data-visible"));
        await below.InvokeAsync(below.Instance.BecameVisible);
        var parallel = page.FindComponents<PlotlyChart>().Select(c => c.Instance.Data.OfType<ParCoords>().SingleOrDefault()).Single(p => p is not null)!;
        Assert.Equal(["lr", "opt", "acc"], parallel.Dimensions.Select(d => d.Label));
        Assert.Equal([0.1, 0.001], parallel.Dimensions[0].Values);
    }

    [Fact]
    public async Task RunCharts_ZoomedToAStepRange_RedrawsThatRangeAtFullResolution()
    {
        await CreateProjectAsync();
        var runs = Services.GetRequiredService<RunService>();
        var created = await runs.CreateAsync(OwnerPrincipal, Slug, new NewRun("sweep", "long"));
        for (var start = 0; start < 20_000; start += 1_000)
        {
            await Services.GetRequiredService<MetricService>().LogAsync(
                OwnerPrincipal, Slug, created.Number, [.. Enumerable.Range(start, 1_000).Select(i => new NewMetricPoint("loss", i, Math.Sin(i / 50.0)))]);
        }

        var run = await runs.GetAsync(OwnerPrincipal, Slug, created.Number);
        SignIn(Owner);
        var charts = RenderPage<RunMetricCharts>(("Run", run), ("Smoothing", 0.0));
        charts.WaitForAssertion(() => Assert.Single(charts.FindComponents<PlotlyChart>()), TimeSpan.FromSeconds(30));
        // The chart component is looked up each time: a render (e.g. the smoothing slider settling) replaces it.
        PlotlyChart Current() => charts.FindComponent<PlotlyChart>().Instance;
        var before = StepsDrawn(Current(), 5_000, 5_999);
        Assert.InRange(before, 1, 200);

        // What Plotly reports when the user drags a box over steps 5,000 to 5,999.
        await charts.InvokeAsync(() => Current().RelayoutEvent(new Plotly.Blazor.Interop.RelayoutEventData { XRange = [4_999.6, 5_999.4] }));

        // The zoom redraws the chart through Plotly alone, without a render for WaitForAssertion to notice: poll instead.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await charts.InvokeAsync(() => StepsDrawn(Current(), 5_000, 5_999)) < 1_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1_000, await charts.InvokeAsync(() => StepsDrawn(Current(), 5_000, 5_999)));
        Assert.Equal(1_000, ((Scatter)Current().Data[0]).X.Count);
        Assert.Equal([4_999.6, 5_999.4], Current().Layout.XAxis[0].Range);
    }

    private static int StepsDrawn(PlotlyChart chart, long from, long to) =>
        ((Scatter)chart.Data[0]).X.Count(x => Convert.ToInt64(x, CultureInfo.InvariantCulture) is var step && step >= from && step <= to);

    private static PlotlyChart Chart(IRenderedComponent<Bunit.Rendering.ContainerFragment> charts, int index) =>
        charts.FindComponents<PlotlyChart>()[index].Instance;

    private async Task<RunDetails> CreateRunWithMetricsAsync(string name, double lr, bool createProject = true)
    {
        if (createProject)
        {
            await CreateProjectAsync();
        }

        var runs = Services.GetRequiredService<RunService>();
        var run = await runs.CreateAsync(OwnerPrincipal, Slug, new NewRun("sweep", name, new Dictionary<string, string>
        {
            ["lr"] = lr.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["opt"] = "sgd",
        }));
        NewMetricPoint[] points =
        [
            .. Losses.Select((v, i) => new NewMetricPoint("loss", i, v)),
            .. Enumerable.Range(0, 5).Select(i => new NewMetricPoint("acc", i, 0.5 + (i * lr))),
        ];
        await Services.GetRequiredService<MetricService>().LogAsync(OwnerPrincipal, Slug, run.Number, points);
        return await runs.GetAsync(OwnerPrincipal, Slug, run.Number);
    }
}
