using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Artifacts;

/// <summary>
/// "api-transfer": the staged-upload REST API of a real portal process, driven by curl over loopback like a CI job would:
/// PUT of a whole file (and begin + PUT + commit), download of the file and of the version zip, next to the Node.js baseline
/// on the same file in the same run; the portal's peak RSS per upload; and the browser's way, 8 MiB Content-Range chunks.
/// Each file size gets a fresh portal, so its memory is its own.
/// </summary>
public static class ApiTransferBenchmark
{
    private const string Project = "bench";
    private const string Artifact = "data";
    private const int ChunkSize = 8 * MiB;

    public sealed record Options(IReadOnlyList<int> SizesMb, int ChunkedSizeMb, int Runs, string? Baseline, string PortalDll, string Work);

    public static async Task RunAsync(Options options)
    {
        Console.WriteLine($"api-transfer: portal {options.PortalDll}; curl -T over 127.0.0.1; MB = MiB; median (min–max) of {options.Runs} runs; " +
                          "uploads are durable (fsync) before the answer, the Node.js baseline does not fsync");
        var baseline = FindBaseline(options.Baseline);
        var disk = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            disk.Add(await DiskWriteRateAsync(options.Work, 512));
        }

        Console.WriteLine($"  disk: 512 MB written and fsynced at {MedianAndRange(disk)} MB/s (the ceiling of a durable upload)");
        AddSummary("disk write+fsync 512 MB", $"{MedianAndRange(disk)} MB/s", "ceiling for durable uploads on this machine");
        foreach (var sizeMb in options.SizesMb)
        {
            await RunSizeAsync(options, baseline, sizeMb, chunked: sizeMb == options.SizesMb.Max() ? options.ChunkedSizeMb : 0);
        }
    }

    private static async Task RunSizeAsync(Options options, string? baseline, int sizeMb, int chunked)
    {
        var folder = Directory.CreateDirectory(Path.Combine(options.Work, $"api-transfer-{sizeMb}mb")).FullName;
        try
        {
            var (file, sha256) = await CreateRandomFileAsync(folder, sizeMb);
            var data = Path.Combine(folder, "portal-data");
            await using var portal = await PortalProcess.StartAsync(options.PortalDll, data);
            await portal.CreateUserAndTokenAsync();
            await portal.CreateProjectAsync(Project);
            using (var created = await portal.Http.PostAsJsonAsync($"api/v1/projects/{Project}/artifacts", new { name = Artifact, type = "Dataset" }))
            {
                created.EnsureSuccessStatusCode();
            }

            // Warm-up: JIT and first-use costs of every measured path, on a small file.
            var (small, smallSha) = await CreateRandomFileAsync(folder, 4);
            var warm = await UploadAsync(portal, small, smallSha, folder);
            await DownloadAsync(portal, FileUrl(warm.Version, small), folder);
            await CheckZipAsync(portal, ZipUrl(warm.Version), smallSha);
            File.Delete(small);

            var (put, whole, node, nodeDurable, download, zip) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(),
                new List<double>(), new List<double>());
            var (peaks, downloadPeaks) = (new List<double>(), new List<double>());
            // CPU seconds per GiB of the server process: comparable even when other work on the machine skews wall times.
            var (portalCpu, portalSystemCpu, nodeCpu) = (new List<double>(), new List<double>(), new List<double>());
            var idle = portal.Memory().Current;
            // The portal's own background work (job polling, telemetry) counts in its CPU per GB too; this says how much.
            var idleCpu = portal.CpuTime();
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idleCpuPerSecond = (portal.CpuTime() - idleCpu).TotalSeconds / 5;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {sizeMb} MB: idle portal uses {idleCpuPerSecond:F3} CPU s per second"));
            for (var run = 0; run < options.Runs; run++)
            {
                portal.ResetPeakMemory();
                var (cpuBefore, systemBefore) = (portal.CpuTime(), portal.SystemCpuTime());
                var upload = await UploadAsync(portal, file, sha256, folder);
                portalCpu.Add((portal.CpuTime() - cpuBefore).TotalSeconds * 1024 / sizeMb);
                portalSystemCpu.Add((portal.SystemCpuTime() - systemBefore).TotalSeconds * 1024 / sizeMb);
                peaks.Add(portal.Memory().Peak / (double)MiB);
                put.Add(sizeMb / upload.PutSeconds);
                whole.Add(sizeMb / upload.TotalSeconds);
                if (baseline is not null)
                {
                    var (nodeRate, nodeCpuSeconds) = await RunBaselineAsync(baseline, file, folder, sizeMb);
                    node.Add(nodeRate);
                    nodeCpu.Add(nodeCpuSeconds * 1024 / sizeMb);
                    nodeDurable.Add((await RunBaselineAsync(baseline, file, folder, sizeMb, durable: true)).Rate);
                }

                portal.ResetPeakMemory();
                download.Add(sizeMb / await DownloadAsync(portal, FileUrl(upload.Version, file), folder));
                zip.Add(sizeMb / await DownloadAsync(portal, ZipUrl(upload.Version), folder));
                downloadPeaks.Add(portal.Memory().Peak / (double)MiB);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {sizeMb} MB run {run + 1}: PUT {put[^1]:F0} MB/s, begin+PUT+commit {whole[^1]:F0}, " +
                    $"Node {(node.Count > run ? node[^1].ToString("F0", CultureInfo.InvariantCulture) : "-")}, " +
                    $"Node+fsync {(nodeDurable.Count > run ? nodeDurable[^1].ToString("F0", CultureInfo.InvariantCulture) : "-")}, download {download[^1]:F0}, " +
                    $"zip {zip[^1]:F0}, peak RSS upload {peaks[^1]:F0} MB / download {downloadPeaks[^1]:F0} MB, " +
                    $"server CPU s/GB portal {portalCpu[^1]:F2} (sys {portalSystemCpu[^1]:F2}) / Node {(nodeCpu.Count > run ? nodeCpu[^1].ToString("F2", CultureInfo.InvariantCulture) : "-")}; " +
                    $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            }

            var ratio = node.Count == 0 ? "Node baseline skipped" : $"Node {MedianAndRange(node)} MB/s, portal/Node {Median(put) / Median(node):F2}x";
            AddSummary($"PUT {sizeMb} MB (curl -T)", $"{MedianAndRange(put)} MB/s", ratio);
            if (nodeDurable.Count > 0)
            {
                AddSummary($"  Node + fsync {sizeMb} MB", $"{MedianAndRange(nodeDurable)} MB/s", $"portal/(Node + fsync) {Median(put) / Median(nodeDurable):F2}x");
            }

            AddSummary($"server CPU per GB, PUT {sizeMb} MB", $"{MedianAndRange(portalCpu, "F2")} s",
                (nodeCpu.Count == 0 ? "" : $"Node {MedianAndRange(nodeCpu, "F2")} s; portal/Node {Median(portalCpu) / Median(nodeCpu):F2}x; ") +
                $"portal sys {MedianAndRange(portalSystemCpu, "F2")} s");
            AddSummary($"begin+PUT+commit {sizeMb} MB", $"{MedianAndRange(whole)} MB/s");
            AddSummary($"download file {sizeMb} MB", $"{MedianAndRange(download)} MB/s", "curl -o /dev/null");
            AddSummary($"download zip {sizeMb} MB", $"{MedianAndRange(zip)} MB/s", "one entry, random data");
            AddSummary($"portal peak RSS, PUT {sizeMb} MB", $"{MedianAndRange(peaks)} MB", $"idle before: {idle / (double)MiB:F0} MB");
            AddSummary($"portal peak RSS, downloads {sizeMb} MB", $"{MedianAndRange(downloadPeaks)} MB");
            File.Delete(file);

            if (chunked > 0)
            {
                await RunChunkedAsync(portal, folder, chunked, options.Runs);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The browser's way: 8 MiB PUTs with Content-Range on one kept-alive connection, then commit.</summary>
    private static async Task RunChunkedAsync(PortalProcess portal, string folder, int sizeMb, int runs)
    {
        var (file, sha256) = await CreateRandomFileAsync(folder, sizeMb);
        var rates = new List<double>();
        var peaks = new List<double>();
        var buffer = new byte[ChunkSize];
        for (var run = 0; run < runs; run++)
        {
            portal.ResetPeakMemory();
            var stopwatch = Stopwatch.StartNew();
            var upload = await BeginAsync(portal, file, sha256);
            var length = new FileInfo(file).Length;
            var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            await using (source.ConfigureAwait(false))
            {
                for (long start = 0; start < length; start += ChunkSize)
                {
                    var count = (int)Math.Min(ChunkSize, length - start);
                    await source.ReadExactlyAsync(buffer.AsMemory(0, count));
                    using var content = new ByteArrayContent(buffer, 0, count);
                    content.Headers.ContentRange = new ContentRangeHeaderValue(start, start + count - 1, length);
                    using var response = await portal.Http.PutAsync($"api/v1/uploads/{upload}/files/0", content);
                    await EnsureSuccessAsync(response);
                }
            }

            var version = await CommitAsync(portal, upload);
            stopwatch.Stop();
            rates.Add(sizeMb / stopwatch.Elapsed.TotalSeconds);
            peaks.Add(portal.Memory().Peak / (double)MiB);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  chunked {sizeMb} MB run {run + 1}: {rates[^1]:F0} MB/s (begin + {length / ChunkSize} PUTs + commit v{version}), peak RSS {peaks[^1]:F0} MB"));
        }

        AddSummary($"chunked 8 MiB PUTs {sizeMb} MB", $"{MedianAndRange(rates)} MB/s", $"begin+chunks+commit; peak RSS {MedianAndRange(peaks)} MB");
        File.Delete(file);
    }

    private sealed record Upload(int Version, double PutSeconds, double TotalSeconds);

    /// <summary>begin (declaring the SHA-256, so the server checks it) → curl -T → commit.</summary>
    private static async Task<Upload> UploadAsync(PortalProcess portal, string file, string sha256, string folder)
    {
        var stopwatch = Stopwatch.StartNew();
        var upload = await BeginAsync(portal, file, sha256);
        var answer = Path.Combine(folder, "put-answer.json");
        var timing = await RunProcessAsync("curl", [
            "-sS", "--fail-with-body", "-T", file, "-H", "Expect:", "-H", $"Authorization: Bearer {portal.Token}",
            "-o", answer, "-w", "%{time_total}", new Uri(portal.BaseAddress, $"api/v1/uploads/{upload}/files/0").ToString()], folder);
        using (var status = JsonDocument.Parse(await File.ReadAllTextAsync(answer)))
        {
            if (status.RootElement.GetProperty("sha256").GetString() != sha256)
            {
                throw new InvalidOperationException($"The portal stored other bytes than sent: {status.RootElement}");
            }
        }

        var version = await CommitAsync(portal, upload);
        stopwatch.Stop();
        return new Upload(version, double.Parse(timing, CultureInfo.InvariantCulture), stopwatch.Elapsed.TotalSeconds);
    }

    private static async Task<Guid> BeginAsync(PortalProcess portal, string file, string sha256)
    {
        var request = new BeginUpload([new UploadFileRequest(Path.GetFileName(file), new FileInfo(file).Length, sha256)]);
        using var response = await portal.Http.PostAsJsonAsync($"api/v1/projects/{Project}/artifacts/{Artifact}/uploads", request);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<UploadStatus>())!.Id;
    }

    private static async Task<int> CommitAsync(PortalProcess portal, Guid upload)
    {
        using var response = await portal.Http.PostAsync($"api/v1/uploads/{upload}/commit", content: null);
        await EnsureSuccessAsync(response);
        using var version = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return version.RootElement.GetProperty("number").GetInt32();
    }

    /// <summary>Seconds curl takes to fetch the URL into /dev/null.</summary>
    private static async Task<double> DownloadAsync(PortalProcess portal, string url, string folder)
    {
        var timing = await RunProcessAsync("curl", [
            "-sS", "--fail", "-H", $"Authorization: Bearer {portal.Token}", "-o", "/dev/null", "-w", "%{time_total}",
            new Uri(portal.BaseAddress, url).ToString()], folder);
        return double.Parse(timing, CultureInfo.InvariantCulture);
    }

    /// <summary>The zip must hold the file that was uploaded, byte for byte.</summary>
    private static async Task CheckZipAsync(PortalProcess portal, string url, string sha256)
    {
        var bytes = await portal.Http.GetByteArrayAsync(url);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entry = zip.Entries.Single();
        using var content = entry.Open();
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(content));
        if (actual != sha256)
        {
            throw new InvalidOperationException($"The zip's {entry.FullName} has SHA-256 {actual}, not {sha256}.");
        }
    }

    private static string FileUrl(int version, string file) =>
        $"api/v1/projects/{Project}/artifacts/{Artifact}/versions/v{version}/files/{Uri.EscapeDataString(Path.GetFileName(file))}";

    private static string ZipUrl(int version) => $"api/v1/projects/{Project}/artifacts/{Artifact}/versions/v{version}/zip";

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} " +
                                                await response.Content.ReadAsStringAsync());
        }
    }
}
