using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactPortal.IntegrationTests.Support;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Load;

/// <summary>
/// "load": one portal node on PostgreSQL with a project seeded through the upload API. HTTP: the artifact list API (token) and
/// the version page's server render (login cookie) at 200 connections, first as fast as they go (closed loop), then at a fixed
/// 500 requests/s (open loop: latency counts from each request's scheduled start, so a stall is not hidden). Circuits: 100
/// headless Chromium pages of one browser on a fresh portal process, each an interactive Blazor circuit on the version page,
/// switching tabs; server memory per circuit (RSS delta) and the click-to-DOM-update latency measured inside the page.
/// </summary>
public static partial class LoadBenchmark
{
    private const string Project = "load";
    private const int Connections = 200;
    private const int FixedRate = 500;
    private const double TargetP99Ms = 100;
    private const string Password = "Bench-password-1";
    private static readonly string[] Tags = ["bench"];

    public sealed record Options(string PortalDll, string Work, bool Quick, int Circuits);

    private sealed record Result(int Requests, int Errors, double Seconds, List<double> Latencies)
    {
        /// <summary>Answered with 200 per second: failed and timed-out requests do not count as served.</summary>
        public double Throughput => (Requests - Errors) / Seconds;
    }

    public static async Task RunAsync(Options options)
    {
        var (artifacts, versionsEach, seconds) = options.Quick ? (10, 2, 4) : (40, 2, 10);
        await using var server = await PostgresServer.StartAsync();
        var postgres = await server.CreateDatabaseAsync("load_bench");
        var data = Directory.CreateDirectory(Path.Combine(options.Work, "load")).FullName;
        CookieContainer cookies;
        await using (var portal = await PortalProcess.StartAsync(options.PortalDll, data, postgres))
        {
            await portal.CreateUserAndTokenAsync();
            await portal.CreateProjectAsync(Project);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(portal, artifacts, versionsEach);
            Console.WriteLine($"load: seeded {artifacts} artifacts × {versionsEach} versions × 3 files through the upload API in {seeding.Elapsed.TotalSeconds:F0} s " +
                              $"(PostgreSQL); machine load before: {LoadAverage()}");
            cookies = await LogInAsync(portal.BaseAddress);
            var middle = $"model-{artifacts / 2:D3}";
            (string Name, string Url, string? Token, CookieContainer? Cookies, string Expect)[] targets =
            [
                ("artifact list API", $"api/v1/projects/{Project}/artifacts?page=1", portal.Token, null, "\"model-"),
                ("version page render", $"p/{Project}/artifacts/{middle}/v{versionsEach}", null, cookies, $"{middle}"),
            ];
            foreach (var (name, url, token, sessionCookies, expect) in targets)
            {
                var address = new Uri(portal.BaseAddress, url);
                await CheckAsync(address, token, sessionCookies, expect);
                using var client = new LoadClient(address, token, sessionCookies);
                await WarmUpAsync(client, name, portal.ProcessId, options.Quick);
                var cpu = CpuBudget.Read(portal, server, LoadGeneratorCpuTime);
                var max = await ClosedLoopAsync(client, TimeSpan.FromSeconds(seconds));
                Report($"{name}, {Connections} connections, max", max, CpuBudget.Read(portal, server, LoadGeneratorCpuTime) - cpu, target: false);
                cpu = CpuBudget.Read(portal, server, LoadGeneratorCpuTime);
                var paced = await OpenLoopAsync(client, FixedRate, TimeSpan.FromSeconds(seconds));
                Report($"{name}, {FixedRate} req/s", paced, CpuBudget.Read(portal, server, LoadGeneratorCpuTime) - cpu, target: true);
            }
        }

        // A fresh process, so the memory before the circuits is not the heap the HTTP load left behind.
        await using (var portal = await PortalProcess.StartAsync(options.PortalDll, data, postgres))
        {
            await CircuitLoad.RunAsync(portal, server, cookies.GetCookieHeader(portal.BaseAddress), $"p/{Project}/artifacts/model-{artifacts / 2:D3}/v{versionsEach}", options.Circuits, options.Quick);
        }

        Console.WriteLine($"load: machine load after: {LoadAverage()}");
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg")
        ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" (1/5/15 min, {Environment.ProcessorCount} cores)"
        : "unknown";

    /// <summary>The load generator is this process.</summary>
    private static TimeSpan LoadGeneratorCpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    private static void Report(string name, Result result, CpuBudget cpu, bool target)
    {
        var (p50, p99) = (Percentile(result.Latencies, 50), Percentile(result.Latencies, 99));
        var verdict = !target ? "" : p99 < TargetP99Ms && result.Errors == 0 ? "ok" : $"MISSES p99 < {TargetP99Ms:F0} ms with no errors";
        double PerRequest(TimeSpan time) => time.TotalMilliseconds / Math.Max(1, result.Requests);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{result.Throughput:N0} req/s, p50 {p50:F1} ms, p99 {p99:F1} ms, {result.Errors} errors of {result.Requests:N0}, " +
            $"CPU per request: portal {PerRequest(cpu.Portal):F2} ms, PostgreSQL {PerRequest(cpu.Postgres):F2} ms, load generator {PerRequest(cpu.Client):F2} ms");
        Console.WriteLine($"  {name,-52} {line}  {verdict}");
        AddSummary($"load: {name}", line, verdict);
    }

    /// <summary>
    /// One request through HttpClient that must answer 200 with the expected content: a benchmark of a login page or an error
    /// would be worthless, and the load client reads no bodies.
    /// </summary>
    private static async Task CheckAsync(Uri address, string? token, CookieContainer? cookies, string expect)
    {
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(expect, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {address}: {(int)response.StatusCode}, expected '{expect}' in: {body[..Math.Min(body.Length, 500)]}");
        }
    }

    /// <summary>
    /// Closed-loop rounds of 3 s until the portal's tiered JIT has stopped compiling: its worker threads used under 20 ms of
    /// CPU in each of three rounds in a row (it pauses for a few seconds now and then while call counts build up); at most
    /// 2 minutes. Under load the JIT recompiles hot code for about a minute after a start, and the portal's CPU per page falls
    /// by half meanwhile; a server measured before that is not the server that runs. Throughput alone was a poor sign: two
    /// rounds in a row agreed within 5% while the JIT was still at work.
    /// </summary>
    private static async Task WarmUpAsync(LoadClient client, string name, int portalProcessId, bool quick)
    {
        var round = TimeSpan.FromSeconds(3);
        var stopwatch = Stopwatch.StartNew();
        var quiet = 0;
        for (var rounds = 1; ; rounds++)
        {
            var before = TieredJitCpuTimes(portalProcessId);
            var throughput = (await ClosedLoopAsync(client, round)).Throughput;
            // A worker thread leaves after 4 s without work, so one that compiled in this round is still there to be read.
            var jit = TieredJitCpuTimes(portalProcessId).Sum(t => (t.Value - before.GetValueOrDefault(t.Key)).TotalMilliseconds);
            quiet = jit < 20 ? quiet + 1 : 0;
            var settled = quiet >= 3;
            if (quick || settled || stopwatch.Elapsed > TimeSpan.FromMinutes(2))
            {
                Console.WriteLine($"  {name}: warmed up in {stopwatch.Elapsed.TotalSeconds:F0} s ({rounds} rounds, last {throughput:N0} req/s, " +
                                  $"JIT {jit:F0} ms of CPU in it{(settled ? "" : ", not settled")})");
                return;
            }
        }

        static Dictionary<int, TimeSpan> TieredJitCpuTimes(int processId) =>
            LinuxProcesses.ThreadCpuTimes(processId, thread => thread.StartsWith(".NET Tiered Com", StringComparison.Ordinal));
    }

    /// <summary><see cref="Connections"/> clients, each sending its next request as soon as the last one answered.</summary>
    private static async Task<Result> ClosedLoopAsync(LoadClient client, TimeSpan duration)
    {
        var latencies = new List<double>[Connections];
        var errors = 0;
        // A request still unanswered 30 s after the run ends is an error.
        using var deadline = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            while (stopwatch.Elapsed < duration)
            {
                var start = stopwatch.Elapsed;
                if (!await client.SendAsync(deadline.Token))
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add((stopwatch.Elapsed - start).TotalMilliseconds);
            }
        })));
        var all = latencies.SelectMany(l => l).ToList();
        return new Result(all.Count, errors, stopwatch.Elapsed.TotalSeconds, all);
    }

    /// <summary>
    /// Requests started on a fixed schedule whatever the answers do, at most <see cref="Connections"/> in flight; each latency runs
    /// from the scheduled start, so time spent waiting for a free connection counts (no coordinated omission).
    /// </summary>
    private static async Task<Result> OpenLoopAsync(LoadClient client, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var errors = 0;
        using var slots = new SemaphoreSlim(Connections);
        // A request not answered 10 s after the schedule ends is an error: an overloaded server must not stretch the run without end.
        using var deadline = new CancellationTokenSource(duration + TimeSpan.FromSeconds(10));
        var running = new List<Task>(total);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - stopwatch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await slots.WaitAsync(deadline.Token);
                    try
                    {
                        if (!await client.SendAsync(deadline.Token))
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = (stopwatch.Elapsed - due).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(running);
        return new Result(total, errors, stopwatch.Elapsed.TotalSeconds, [.. latencies]);
    }

    /// <summary>Signs in through the real login form (antiforgery token and all) and returns the session's cookies.</summary>
    public static async Task<CookieContainer> LogInAsync(Uri baseAddress)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress };
        var form = await http.GetStringAsync("Account/Login");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in InputTag().Matches(form).Select(m => m.Value))
        {
            var attributes = Attribute().Matches(tag).ToDictionary(m => m.Groups["key"].Value, m => WebUtility.HtmlDecode(m.Groups["text"].Value), StringComparer.Ordinal);
            if (attributes.GetValueOrDefault("type") == "hidden" && attributes.TryGetValue("name", out var field))
            {
                fields[field] = attributes.GetValueOrDefault("value") ?? "";
            }
        }

        fields["Input.Email"] = PortalProcess.Email;
        fields["Input.Password"] = Password;
        using var response = await http.PostAsync("Account/Login", new FormUrlEncodedContent(fields));
        var header = cookies.GetCookieHeader(baseAddress);
        return response.StatusCode == HttpStatusCode.Redirect && header.Contains(".AspNetCore.Identity.Application", StringComparison.Ordinal)
            ? cookies
            : throw new InvalidOperationException($"Login failed: {(int)response.StatusCode} {response.Headers.Location} (fields: {string.Join(", ", fields.Keys)})");
    }

    /// <summary>Artifacts model-000… with versions of three small files each, through begin upload → PUT → commit, four at a time.</summary>
    private static async Task SeedAsync(PortalProcess portal, int artifacts, int versionsEach)
    {
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, artifacts).Select(async a =>
        {
            await gate.WaitAsync();
            try
            {
                var name = $"model-{a:D3}";
                var artifactsUrl = $"api/v1/projects/{Project}/artifacts";
                using (var created = await portal.Http.PostAsJsonAsync(artifactsUrl, new { name, type = "Model", description = $"Seeded {name}.", tags = Tags }))
                {
                    await EnsureAsync(created);
                }

                for (var v = 1; v <= versionsEach; v++)
                {
                    var files = new Dictionary<string, byte[]>
                    {
                        ["model.bin"] = RandomNumberGenerator.GetBytes(4096 + a),
                        ["config.json"] = Encoding.UTF8.GetBytes($$"""{"layers":{{a % 12}},"version":{{v}}}"""),
                        ["README.md"] = Encoding.UTF8.GetBytes($"# {name} v{v}\n\nSeeded for the load benchmark.\n"),
                    };
                    var begin = new { files = files.Select(f => new { path = f.Key, size = f.Value.Length }), metadata = new { epoch = v, accuracy = 0.5 + (v / 100.0) } };
                    using var started = await portal.Http.PostAsJsonAsync($"{artifactsUrl}/{name}/uploads", begin);
                    await EnsureAsync(started);
                    using var status = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
                    var id = status.RootElement.GetProperty("id").GetGuid();
                    foreach (var file in status.RootElement.GetProperty("files").EnumerateArray())
                    {
                        using var put = await portal.Http.PutAsync($"api/v1/uploads/{id}/files/{file.GetProperty("index").GetInt32()}",
                            new ByteArrayContent(files[file.GetProperty("path").GetString()!]));
                        await EnsureAsync(put);
                    }

                    using var commit = await portal.Http.PostAsync($"api/v1/uploads/{id}/commit", null);
                    await EnsureAsync(commit);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("(?<key>name|value|type)=\"(?<text>[^\"]*)\"")]
    private static partial Regex Attribute();
}
