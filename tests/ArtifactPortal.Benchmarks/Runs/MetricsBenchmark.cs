using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ArtifactPortal.IntegrationTests.Support;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Runs;

/// <summary>
/// "metrics": a real portal on SQLite, then on PostgreSQL. Ingest: <see cref="Clients"/> clients each post 1,000-point
/// batches (4 keys × 250 points) to a run of their own through the HTTP API, timed from the first request to the last answer.
/// Query: one series of 1,000,000 points (logged through the same API by all clients at once), read downsampled to 1,500 points
/// and zoomed to 5 % of its steps, timed client-side over loopback (an upper bound of the server time).
/// </summary>
public static class MetricsBenchmark
{
    private const string Project = "metrics";
    private const int Clients = 4;
    private const int BatchSize = 1000;
    private const int WarmUp = 10;
    private const double TargetPointsPerSecond = 50_000;
    private const double TargetMs = 150;

    public sealed record Options(string PortalDll, string Work, int Requests, bool Quick);

    public static async Task RunAsync(Options options)
    {
        await RunOnAsync("SQLite", options, postgres: null);
        await using var server = await PostgresServer.StartAsync();
        await RunOnAsync("PostgreSQL", options, await server.CreateDatabaseAsync("metrics_bench"));
    }

    private static async Task RunOnAsync(string database, Options options, string? postgres)
    {
        var (ingestPoints, bigPoints) = options.Quick ? (100_000, 100_000) : (1_000_000, 1_000_000);
        var data = Directory.CreateDirectory(Path.Combine(options.Work, $"metrics-{database.ToLowerInvariant()}")).FullName;
        await using var portal = await PortalProcess.StartAsync(options.PortalDll, data, postgres);
        await portal.CreateUserAndTokenAsync();
        await portal.CreateProjectAsync(Project);
        var runs = await CreateRunsAsync(portal, Clients + 1);

        var ingest = await IngestAsync(portal, [.. runs.Take(Clients)], ingestPoints / Clients / BatchSize, key: null);
        var rate = ingestPoints / ingest.TotalSeconds;
        var verdict = rate >= TargetPointsPerSecond ? "ok" : $"UNDER the {TargetPointsPerSecond:N0} points/s target";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"metrics ({database}): ingested {ingestPoints:N0} points in {ingest.TotalSeconds:F1} s by {Clients} clients: {rate:N0} points/s  {verdict}"));
        AddSummary($"metric ingest, {database}", string.Create(CultureInfo.InvariantCulture, $"{rate:N0} points/s"), verdict);

        var big = runs[^1];
        var seeding = await IngestAsync(portal, [.. Enumerable.Repeat(big, Clients)], bigPoints / Clients / BatchSize, key: "loss");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"metrics ({database}): one series of {bigPoints:N0} points logged in {seeding.TotalSeconds:F1} s ({bigPoints / seeding.TotalSeconds:N0} points/s, {Clients} clients on one key)"));
        var url = $"api/v1/projects/{Project}/runs/{big}/metrics/loss";
        var cold = Stopwatch.StartNew();
        (await portal.Http.GetAsync(url)).EnsureSuccessStatusCode().Dispose();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first read (series into memory): {cold.Elapsed.TotalMilliseconds:F0} ms"));
        (string Name, string Url)[] queries =
        [
            ($"{bigPoints:N0} points → 1,500", url),
            ("zoom to 5 % of the steps", $"{url}?minStep={bigPoints / 2}&maxStep={(bigPoints / 2) + (bigPoints / 20)}"),
            ("zoom to 1,000 steps (full resolution)", $"{url}?minStep={bigPoints / 3}&maxStep={(bigPoints / 3) + 999}"),
        ];
        foreach (var (name, query) in queries)
        {
            var times = await TimeAsync(portal.Http, query, options.Requests);
            var (p50, p95) = (Percentile(times, 50), Percentile(times, 95));
            var ok = p95 < TargetMs ? "ok" : $"OVER the {TargetMs:F0} ms target";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-40} p50 {p50,6:F1}  p95 {p95,6:F1}  max {times.Max(),6:F1} ms  {ok}"));
            AddSummary($"metric query {name}, {database}", string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F1} ms, p95 {p95:F1} ms"), ok);
        }
    }

    /// <summary>
    /// Each client posts its batches one after another; the clients run at once. The bodies are serialized before the clock
    /// starts: the client shares the two cores with the portal, and its own JSON work is not what is measured.
    /// </summary>
    private static async Task<TimeSpan> IngestAsync(PortalProcess portal, IReadOnlyList<int> runs, int batchesEach, string? key)
    {
        var bodies = runs.Select((_, client) => Enumerable.Range(0, batchesEach).Select(b =>
        {
            var first = ((long)b * runs.Count * BatchSize) + ((long)client * BatchSize);
            var points = Enumerable.Range(0, BatchSize).Select(i =>
            {
                var step = key is null ? ((long)b * (BatchSize / 4)) + (i / 4) : first + i;
                return new { key = key ?? $"metric/{i % 4}", step, value = Math.Sin(step / 1000.0) + (i * 1e-6) };
            });
            return JsonSerializer.SerializeToUtf8Bytes(new { points });
        }).ToList()).ToList();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(runs.Select((run, client) => Task.Run(async () =>
        {
            foreach (var body in bodies[client])
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await portal.Http.PostAsync($"api/v1/projects/{Project}/runs/{run}/metrics", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST metrics: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        return stopwatch.Elapsed;
    }

    private static async Task<List<double>> TimeAsync(HttpClient http, string url, int requests)
    {
        var times = new List<double>(requests);
        for (var i = 0; i < WarmUp + requests; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            stopwatch.Stop();
            response.EnsureSuccessStatusCode();
            if (i >= WarmUp)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    /// <summary>Running runs in one experiment, created through the runs API as a training script would, numbered 1…n.</summary>
    private static async Task<List<int>> CreateRunsAsync(PortalProcess portal, int count)
    {
        var numbers = new List<int>(count);
        for (var n = 1; n <= count; n++)
        {
            using var response = await portal.Http.PostAsJsonAsync($"api/v1/projects/{Project}/runs", new { experiment = "bench", name = $"run-{n}" });
            response.EnsureSuccessStatusCode();
            using var run = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            numbers.Add(run.RootElement.GetProperty("number").GetInt32());
        }

        return numbers;
    }
}
