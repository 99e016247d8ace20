using System.Diagnostics;
using System.Globalization;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.Playwright;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Load;

/// <summary>
/// Interactive Blazor circuits from headless Chromium (one browser, one signed-in context, one page per circuit): server memory
/// per open circuit and the latency of a tab switch — click to the tab's aria-selected change, measured inside the page, which
/// is the server round trip, the render and the DOM update a user waits for. A switch not seen within 30 s counts as timed out.
/// The CPU the switches took, per switch, says whose work the wait is: the portal's, PostgreSQL's, or the browser's own (100 pages
/// laid out and painted on the same cores).
/// </summary>
internal static class CircuitLoad
{
    private const int ClicksPerPage = 6;
    private const double TargetP95Ms = 200;

    // Clicks the named tab and resolves with the milliseconds until the server's render marked it selected.
    private const string ClickTab = """
        async (name) => {
          const tab = [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.trim() === name);
          if (!tab) throw new Error('no tab ' + name);
          const selected = () => tab.getAttribute('aria-selected') === 'true' || tab.classList.contains('mud-tab-active');
          if (selected()) return -1;
          const start = performance.now();
          const done = await new Promise(resolve => {
            const observer = new MutationObserver(() => { if (selected()) { observer.disconnect(); resolve(true); } });
            observer.observe(tab, { attributes: true });
            setTimeout(() => { observer.disconnect(); resolve(selected()); }, 30000);
            tab.click();
          });
          return done ? performance.now() - start : -2;
        }
        """;

    public static async Task RunAsync(PortalProcess portal, PostgresServer postgres, string cookieHeader, string path, int circuits, bool quick)
    {
        if (!File.Exists("/usr/bin/chromium"))
        {
            Console.WriteLine("load: circuits skipped: /usr/bin/chromium is missing (apt-get install -y chromium).");
            AddSummary("load: Blazor circuits", "not measured", "/usr/bin/chromium is missing");
            return;
        }

        circuits = quick ? Math.Min(circuits, 10) : circuits;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--disable-renderer-backgrounding",
                "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
            ],
        });
        await using var context = await browser.NewContextAsync(new() { BaseURL = portal.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(120_000);
        await context.AddCookiesAsync(cookieHeader.Split("; ").Select(c => c.Split('=', 2)).Select(c => new Cookie
        {
            Name = c[0],
            Value = c[1],
            Url = portal.BaseAddress.ToString(),
        }));

        // One circuit opened and closed first: JIT and first-use caches are not "per circuit".
        var warm = await OpenAsync(context, path);
        await ClickAsync(warm, "Statistics");
        await warm.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = portal.Memory().Current;

        var opening = Stopwatch.StartNew();
        var pages = new IPage[circuits];
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(Enumerable.Range(0, circuits).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    pages[i] = await OpenAsync(context, path);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var opened = opening.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var open = portal.Memory().Current;
        var perCircuit = (open - before) / (double)circuits;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {circuits} interactive circuits open in {opened.TotalSeconds:F0} s; server RSS {before / MiB:N0} → {open / MiB:N0} MiB: {perCircuit / 1024:N0} KiB per circuit"));
        AddSummary($"load: memory per circuit ({circuits} open)", string.Create(CultureInfo.InvariantCulture, $"{perCircuit / 1024:N0} KiB"),
            string.Create(CultureInfo.InvariantCulture, $"RSS {before / MiB:N0} → {open / MiB:N0} MiB"));

        // Every page switches tabs at its own pace (0.5–1.5 s between clicks), all at once.
        var latencies = new List<double>();
        var timeouts = 0;
        var clicking = Stopwatch.StartNew();
        var cpuBefore = CpuBudget.Read(portal, postgres, ChromiumCpuTime);
        var tabs = new[] { "Statistics", "Files" };
        await Task.WhenAll(pages.Select(async (page, i) =>
        {
            var random = new Random(i);
            await Task.Delay(random.Next(0, 1000));
            for (var c = 0; c < ClicksPerPage; c++)
            {
                var ms = await ClickAsync(page, tabs[c % 2]);
                if (ms < 0)
                {
                    // Not selected within 30 s: a failed interaction, and the page's tab state is unknown from here on.
                    Interlocked.Increment(ref timeouts);
                    return;
                }

                lock (latencies)
                {
                    latencies.Add(ms);
                }

                await Task.Delay(500 + random.Next(0, 1000));
            }
        }));
        var after = portal.Memory().Current;
        var cpu = CpuBudget.Read(portal, postgres, ChromiumCpuTime) - cpuBefore;
        if (latencies.Count == 0)
        {
            Console.WriteLine($"load: every tab switch timed out (30 s) over {circuits} circuits");
            AddSummary($"load: tab switch, {circuits} circuits", "all timed out", $"{timeouts} clicks not answered within 30 s");
            return;
        }

        var (p50, p95) = (Percentile(latencies, 50), Percentile(latencies, 95));
        var rate = latencies.Count / clicking.Elapsed.TotalSeconds;
        var verdict = p95 < TargetP95Ms && timeouts == 0 ? "ok" : $"OVER {TargetP95Ms:F0} ms or {timeouts} timed out (30 s)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {latencies.Count} tab switches over {circuits} circuits ({rate:F0}/s): p50 {p50:F0} ms, p95 {p95:F0} ms, max {latencies.Max():F0} ms; RSS after {after / MiB:N0} MiB  {verdict}"));
        AddSummary($"load: tab switch, {circuits} circuits", string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F0} ms, p95 {p95:F0} ms"), verdict);
        double PerSwitch(TimeSpan time) => time.TotalMilliseconds / latencies.Count;
        var perSwitch = string.Create(CultureInfo.InvariantCulture,
            $"portal {PerSwitch(cpu.Portal):F1} ms, PostgreSQL {PerSwitch(cpu.Postgres):F1} ms, Chromium {PerSwitch(cpu.Client):F1} ms");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: CPU per tab switch: {perSwitch}; the machine's cores were {100 * cpu.Total / (clicking.Elapsed * Environment.ProcessorCount):F0} % busy with the three"));
        AddSummary("load: CPU per tab switch", perSwitch);
        foreach (var page in pages)
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Every Chromium process on the machine: during a run the benchmark's browser is the only one.</summary>
    private static TimeSpan ChromiumCpuTime() => LinuxProcesses.CpuTime(p => p.Name is "chromium" or "chrome" or "headless_shell");

    private static async Task<IPage> OpenAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Statistics" }).WaitForAsync();
        return page;
    }

    private static async Task<double> ClickAsync(IPage page, string tab)
    {
        var ms = await page.EvaluateAsync<double>(ClickTab, tab);
        return ms != -1 ? ms : throw new InvalidOperationException($"The {tab} tab was already selected: the click would measure nothing.");
    }
}
