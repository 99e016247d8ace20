using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Npgsql;
using Xunit.Abstractions;

namespace ArtifactPortal.IntegrationTests.Scaling;

/// <summary>
/// Scale-out as operators run it: two `serve --role web` processes and one `serve --role worker` process on one PostgreSQL
/// database (Hangfire storage and data-protection keys included) and one Azure Blob store (Azurite), each node with a
/// data directory of its own, so nothing can pass between them except through the shared services.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class MultiNodeTests(PortalFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Owner = "operator@example.com";
    private const string Slug = "scale-out";
    private const string Artifact = "events";

    // Big enough that computing its statistics takes seconds on any machine: the worker is killed while it runs.
    private const int Rows = 1_500_000;
    private const int ChunkSize = 4 * 1024 * 1024;

    private readonly AzuriteServer _azurite = new();
    private readonly List<PortalNode> _nodes = [];
    private readonly string _root = Directory.CreateTempSubdirectory("artifactportal-multinode-").FullName;
    private readonly string _database = $"multinode_{Guid.NewGuid():N}";
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private PostgresServer? _postgres;
    private Dictionary<string, string> _environment = [];

    public async Task InitializeAsync()
    {
        _postgres = await fixture.PostgresAsync();
        await _azurite.InitializeAsync();
        var connectionString = await _postgres.CreateDatabaseAsync(_database);
        _environment = new Dictionary<string, string>
        {
            ["ARTIFACTPORTAL_Database__Provider"] = "Postgres",
            ["ARTIFACTPORTAL_ConnectionStrings__Default"] = connectionString,
            // Several nodes must not race to migrate: the operator runs `migrate` once (below), as docs/configuration.md says.
            ["ARTIFACTPORTAL_Database__MigrateOnStart"] = "false",
            ["ARTIFACTPORTAL_Storage__Provider"] = "AzureBlob",
            ["ARTIFACTPORTAL_Storage__AzureBlob__ConnectionString"] = _azurite.ConnectionString,
            ["ARTIFACTPORTAL_Storage__AzureBlob__Container"] = "multinode",
            // A killed worker's job becomes visible to the next worker after this (5 minutes by default).
            ["ARTIFACTPORTAL_Jobs__InvisibilityTimeout"] = "00:00:06",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Hangfire"] = "Warning",
        };
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        await _azurite.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DropDatabaseAsync(_database);
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task TwoWebNodesAndAWorker_ShareOneDatabaseAndBlobStore_AndSurviveKilledNodes()
    {
        await RunAsync("migrate");
        // The nodes start while the operator commands run: all of them only need the migrated schema.
        var worker = StartNode("worker", "worker", "--queues", "analysis,default", "--workers", "2");
        var web1 = StartNode("web1", "web");
        var web2 = StartNode("web2", "web");
        await RunAsync("admin", "create-user", "--email", Owner, "--password", PortalBrowser.TestPassword, "--admin");
        var project = RunAsync("admin", "create-project", "--owner", Owner, "--name", "Scale out", "--slug", Slug);
        var tokenCommand = RunAsync("admin", "create-token", "--email", Owner, "--name", "multi-node test", "--scopes", "read,write");
        await Task.WhenAll(project, tokenCommand, worker.WaitUntilHealthyAsync(), web1.WaitUntilHealthyAsync(), web2.WaitUntilHealthyAsync());
        var token = (await tokenCommand).StandardOutput.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("apt_", token, StringComparison.Ordinal);
        Log("three nodes healthy; an account, a project and a token created");
        // Started together on an empty database, the nodes agree on one data-protection key instead of making one each
        // (a node that loaded its key ring before another's key arrived would reject that node's cookies).
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM \"DataProtectionKeys\""));

        await WorkerServesHealthOnly(worker, token);
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));

        using var api1 = web1.Client(token);
        using var api2 = web2.Client(token);
        using (var created = await api1.PostAsJsonAsync($"/api/v1/projects/{Slug}/artifacts", new { name = Artifact, type = "dataset" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // 1. A dataset uploaded through web1; its statistics job is taken by the worker and watched through web2.
        var csv = Path.Combine(_root, "events.csv");
        var csvHash = WriteCsv(csv, Rows);
        await UploadWholeFileAsync(api1, "events.csv", csv, csvHash, expectedVersion: 1);
        Log($"uploaded {new FileInfo(csv).Length / 1e6:F0} MB through web1");

        var running = await WaitForStatisticsJobAsync(api2, j => j.Status != AnalysisStatus.Queued, TimeSpan.FromSeconds(60));
        Assert.True(running.Status == AnalysisStatus.Running,
            $"The statistics job was {running.Status} when first seen running; it must still run when the worker is killed (make the CSV bigger).");
        Log($"statistics job running (progress {running.Progress:P0}); killing the worker");

        // 2. The worker dies mid-job (SIGKILL) and another worker process starts: the job runs again and completes once.
        worker.Kill();
        Assert.Equal(AnalysisStatus.Running, (await StatisticsAsync(api2)).Jobs.Single(j => j.Kind == AnalysisKind.Statistics).Status);
        var restarted = StartNode("worker-restarted", "worker", "--queues", "analysis,default", "--workers", "2");
        await restarted.WaitUntilHealthyAsync();
        var done = await WaitForStatisticsJobAsync(api2, j => j.Status is AnalysisStatus.Succeeded or AnalysisStatus.Failed, TimeSpan.FromSeconds(90));
        Log($"statistics job {done.Status} after the restart, attempt {done.Attempts}");
        Assert.True(done.Status == AnalysisStatus.Succeeded, $"{done.Status}: {done.Error}\n{restarted.Output}");
        Assert.Equal(2, done.Attempts);
        var statistics = await StatisticsAsync(api2);
        var file = Assert.Single(statistics.Files);
        Assert.Null(file.Error);
        Assert.Equal(Rows, file.Statistics!.RowCount);
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM \"VersionFileStatistics\""));
        // Hangfire writes its own Succeeded state just after the job method returns, so a moment after the portal's row says so.
        Assert.Equal(1, await ScalarWhenAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ComputeStatisticsJob%' AND statename = 'Succeeded'",
            count => count == 1, TimeSpan.FromSeconds(15)));
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ComputeStatisticsJob%'"));

        // 3. Signed in on web1 (login form fetched from web1, posted to web2: antiforgery keys are shared too); the
        //    same cookie reads the version page on web2.
        var cookies = new CookieContainer();
        using var browser1 = Browser(web1, cookies);
        using var browser2 = Browser(web2, cookies);
        var login = await browser1.OpenAsync("/Account/Login");
        using (var signedIn = await browser2.SubmitFormAsync(login with { Url = new Uri(web2.Address, login.Url.PathAndQuery) }, "login",
                   new Dictionary<string, string> { ["Input.Email"] = Owner, ["Input.Password"] = PortalBrowser.TestPassword }))
        {
            Assert.Equal("/", browser2.RedirectTarget(signedIn)?.AbsolutePath);
        }

        var versionPage = $"/p/{Slug}/artifacts/{Artifact}/v1";
        using (var anonymous = await web2.Client().GetAsync(versionPage))
        {
            Assert.Contains("/Account/Login", anonymous.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        }

        var page = await browser1.OpenAsync(versionPage);
        Assert.Contains("events.csv", page.Text, StringComparison.Ordinal);
        page = await browser2.OpenAsync(versionPage);
        Assert.Contains("events.csv", page.Text, StringComparison.Ordinal);
        Log("one cookie works on both web nodes");

        // 4. web1 dies while a chunk is on its way: nothing partial becomes visible, and the client's retry on web2 succeeds.
        var second = Path.Combine(_root, "events-2.csv");
        var secondHash = WriteCsv(second, Rows / 5);
        var secondBytes = await File.ReadAllBytesAsync(second);
        var upload = await BeginUploadAsync(api1, "events-2.csv", secondBytes.Length, sha256: null);
        Assert.Equal(ChunkSize, (await PutChunkAsync(api1, upload, secondBytes, 0)).Received);

        using var stalled = new StalledContent(secondBytes.AsMemory(ChunkSize, ChunkSize), sendBeforeStall: 512 * 1024);
        using var chunk = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/uploads/{upload}/files/0") { Content = stalled };
        chunk.Content.Headers.ContentRange = new ContentRangeHeaderValue(ChunkSize, (2 * ChunkSize) - 1, secondBytes.Length);
        var inFlight = api1.SendAsync(chunk);
        await stalled.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        web1.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
        Log("web1 killed mid-chunk");

        using (var versions = await api2.GetAsync($"/api/v1/projects/{Slug}/artifacts/{Artifact}/versions"))
        {
            Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
            Assert.Contains("\"total\":1", await versions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var status = await UploadStatusAsync(api2, upload);
        Assert.False(status.Complete);
        Assert.True(status.Received <= ChunkSize, $"The interrupted chunk was counted: {status.Received} bytes received.");

        // The client resumes where the portal says; web2 never saw web1's staged bytes and asks for them again.
        await ResumeChunksAsync(api2, upload, secondBytes);
        var committed = await CommitAsync(api2, upload);
        Assert.Equal(2, committed);
        using (var download = await api2.GetAsync($"/api/v1/projects/{Slug}/artifacts/{Artifact}/versions/2/files/events-2.csv"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(secondHash, Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
        }

        Log("the retry through web2 committed v2 with the right bytes");
    }

    private static async Task WorkerServesHealthOnly(PortalNode worker, string token)
    {
        using var client = worker.Client(token);
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var api = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        using var login = await client.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
    }

    private PortalNode StartNode(string name, string role, params string[] arguments)
    {
        var node = PortalNode.Start(name, role, Path.Combine(_root, name.Split('-')[0]), _environment, arguments);
        _nodes.Add(node);
        return node;
    }

    private async Task<ExecutableResult> RunAsync(params string[] arguments)
    {
        var result = await PortalExecutable.RunAsync(Path.Combine(_root, "operator"), _environment, arguments);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', arguments)} exited with {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_environment["ARTIFACTPORTAL_ConnectionStrings__Default"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The query's answer once <paramref name="until"/> holds, or its last answer when <paramref name="timeout"/> passes.</summary>
    private async Task<T> ScalarWhenAsync<T>(string sql, Func<T, bool> until, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await ScalarAsync<T>(sql);
            if (until(value) || clock.Elapsed > timeout)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    private static PortalBrowser Browser(PortalNode node, CookieContainer cookies) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.Address });

    /// <summary>A deterministic CSV of numbers, categories and flags; returns its SHA-256.</summary>
    private static string WriteCsv(string path, int rows)
    {
        var random = new Random(rows);
        string[] categories = ["alpha", "beta", "gamma", "delta", "epsilon"];
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("id,value,score,category,flag,note\n");
            for (var i = 0; i < rows; i++)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{i},{random.NextDouble() * 1000:F4},{random.Next(100_000)},{categories[i % 5]},{i % 2 == 0},n{i % 9973}\n"));
            }
        }

        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static async Task<Guid> BeginUploadAsync(HttpClient api, string path, long size, string? sha256)
    {
        using var begun = await api.PostAsJsonAsync($"/api/v1/projects/{Slug}/artifacts/{Artifact}/uploads",
            new { files = new[] { new { path, size, sha256 } } });
        Assert.True(begun.StatusCode == HttpStatusCode.Created, await begun.Content.ReadAsStringAsync());
        return (await begun.Content.ReadFromJsonAsync<UploadReply>())!.Id;
    }

    private static async Task UploadWholeFileAsync(HttpClient api, string path, string file, string sha256, int expectedVersion)
    {
        var upload = await BeginUploadAsync(api, path, new FileInfo(file).Length, sha256);
        await using (var content = File.OpenRead(file))
        {
            using var body = new StreamContent(content);
            using var put = await api.PutAsync($"/api/v1/uploads/{upload}/files/0", body);
            Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        }

        Assert.Equal(expectedVersion, await CommitAsync(api, upload));
    }

    private static async Task<int> CommitAsync(HttpClient api, Guid upload)
    {
        using var commit = await api.PostAsync($"/api/v1/uploads/{upload}/commit", null);
        Assert.True(commit.StatusCode == HttpStatusCode.Created, await commit.Content.ReadAsStringAsync());
        return (await commit.Content.ReadFromJsonAsync<VersionReply>())!.Number;
    }

    private static async Task<FileReply> PutChunkAsync(HttpClient api, Guid upload, byte[] bytes, int start)
    {
        var end = Math.Min(start + ChunkSize, bytes.Length) - 1;
        using var content = new ByteArrayContent(bytes, start, end - start + 1);
        content.Headers.ContentRange = new ContentRangeHeaderValue(start, end, bytes.Length);
        using var put = await api.PutAsync($"/api/v1/uploads/{upload}/files/0", content);
        Assert.True(put.StatusCode == HttpStatusCode.OK, $"{(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        return (await put.Content.ReadFromJsonAsync<FileReply>())!;
    }

    /// <summary>A client's resume loop: ask the portal how much it has, send from there, and again after a 409.</summary>
    private async Task ResumeChunksAsync(HttpClient api, Guid upload, byte[] bytes)
    {
        for (var request = 0; request < 20; request++)
        {
            var status = await UploadStatusAsync(api, upload);
            if (status.Complete)
            {
                return;
            }

            var start = (int)status.Received;
            var end = Math.Min(start + ChunkSize, bytes.Length) - 1;
            using var content = new ByteArrayContent(bytes, start, end - start + 1);
            content.Headers.ContentRange = new ContentRangeHeaderValue(start, end, bytes.Length);
            using var put = await api.PutAsync($"/api/v1/uploads/{upload}/files/0", content);
            var body = await put.Content.ReadAsStringAsync();
            Log($"resume: bytes {start}-{end} → {(int)put.StatusCode} {(put.IsSuccessStatusCode ? "" : body)}");
            Assert.True(put.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)put.StatusCode}: {body}");
        }

        Assert.Fail("The upload did not complete after 20 requests.");
    }

    private static async Task<FileReply> UploadStatusAsync(HttpClient api, Guid upload)
    {
        using var response = await api.GetAsync($"/api/v1/uploads/{upload}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await response.Content.ReadFromJsonAsync<UploadReply>())!.Files);
    }

    private static async Task<ApiVersionStatistics> StatisticsAsync(HttpClient api)
    {
        using var response = await api.GetAsync($"/api/v1/projects/{Slug}/artifacts/{Artifact}/versions/1/statistics");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiVersionStatistics>(FileStatisticsJson.Options))!;
    }

    private static async Task<ApiAnalysisJob> WaitForStatisticsJobAsync(HttpClient api, Func<ApiAnalysisJob, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = (await StatisticsAsync(api)).Jobs.Single(j => j.Kind == AnalysisKind.Statistics);
            if (condition(job))
            {
                return job;
            }

            Assert.True(clock.Elapsed < timeout, $"The statistics job is still {job.Status} after {timeout}.");
            await Task.Delay(100);
        }
    }

    private void Log(string message) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {message}");

    private sealed record UploadReply(Guid Id, IReadOnlyList<FileReply> Files);

    private sealed record FileReply(int Index, long Received, bool Complete);

    private sealed record VersionReply(int Number);

    /// <summary>A request body that sends its first bytes, then trickles the rest: a PUT that is still in progress.</summary>
    private sealed class StalledContent(ReadOnlyMemory<byte> bytes, int sendBeforeStall) : HttpContent
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stalled => _stalled.Task;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(bytes[..sendBeforeStall], cancellationToken);
            await stream.FlushAsync(cancellationToken);
            _stalled.TrySetResult();
            for (var offset = sendBeforeStall; offset < bytes.Length; offset += 16 * 1024)
            {
                await Task.Delay(100, cancellationToken);
                await stream.WriteAsync(bytes[offset..Math.Min(offset + (16 * 1024), bytes.Length)], cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
