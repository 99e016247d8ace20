using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ArtifactPortal.Infrastructure.Storage;

namespace ArtifactPortal.Benchmarks.Artifacts;

/// <summary>
/// "blob-put": FileSystemBlobStore.PutAsync from a FileStream (hash, write, fsync, link) for 200 MiB and a large file, each in a
/// fresh child process so that its peak RSS is its own, next to the Node.js stream-to-disk baseline when that script exists.
/// </summary>
public static class BlobPutBenchmark
{
    public const string ChildCommand = "blob-put-child";
    private const int MiB = 1024 * 1024;
    private const string BaselineEnvironmentVariable = "ARTIFACTPORTAL_UPLOAD_BASELINE";

    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMb = 1024;
        var runs = 3;
        var baseline = Environment.GetEnvironmentVariable(BaselineEnvironmentVariable) ?? DefaultBaselinePath();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size-mb" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var size) && size > 0:
                    sizeMb = size;
                    i++;
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var count) && count > 0:
                    runs = count;
                    i++;
                    break;
                case "--baseline" when i + 1 < args.Length:
                    baseline = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"usage: [--size-mb N (default 1024)] [--runs N (default 3)] [--baseline upload_baseline.mjs]; unknown '{args[i]}'");
                    return 2;
            }
        }

        var work = Path.Combine(Path.GetTempPath(), "artifactportal-bench");
        Directory.CreateDirectory(work);
        Console.WriteLine($"blob-put: FileSystemBlobStore.PutAsync from a FileStream, durable (fsync) before it returns; MB = MiB; " +
                          $"median of {runs} runs, alternating with the baseline");
        foreach (var size in new[] { 200, sizeMb }.Distinct())
        {
            var file = await EnsureRandomFileAsync(work, size);
            var portal = new List<double>();
            var node = new List<double>();
            long peakRss = 0;
            for (var run = 0; run < runs; run++)
            {
                var (seconds, peak) = await RunChildPutAsync(file, work);
                portal.Add(size / seconds);
                peakRss = Math.Max(peakRss, peak);
                if (await RunBaselineAsync(baseline, file, work, size) is { } baselineRate)
                {
                    node.Add(baselineRate);
                }
            }

            var rate = Median(portal);
            var comparison = node.Count == 0 ? "skipped" : $"{Median(node):F0} MB/s (portal {rate / Median(node):F2}x)";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,7} MB  {rate,6:F0} MB/s (runs {string.Join(", ", portal.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})  " +
                $"peak RSS {peakRss / (double)MiB:F0} MB   Node baseline {comparison}"));
        }

        if (!File.Exists(baseline))
        {
            Console.WriteLine($"baseline skipped: {baseline} not found (set {BaselineEnvironmentVariable} or --baseline)");
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>In the child process: one put, then "seconds peakRssBytes" on stdout.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (file, root) = (args[0], args[1]);
        var store = new FileSystemBlobStore(root, TimeProvider.System);
        var stopwatch = Stopwatch.StartNew();
        var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            await store.PutAsync(source, null, null, CancellationToken.None);
        }

        stopwatch.Stop();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stopwatch.Elapsed.TotalSeconds} {self.PeakWorkingSet64}"));
        return 0;
    }

    private static async Task<(double Seconds, long PeakRss)> RunChildPutAsync(string file, string work)
    {
        var root = Directory.CreateTempSubdirectory("artifactportal-bench-blobs-").FullName;
        try
        {
            var self = Environment.ProcessPath!;
            string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? [typeof(BlobPutBenchmark).Assembly.Location, ChildCommand, file, root]
                : [ChildCommand, file, root];
            var output = (await RunAsync(self, arguments, work)).Trim().Split(' ');
            return (double.Parse(output[0], CultureInfo.InvariantCulture), long.Parse(output[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<double?> RunBaselineAsync(string baseline, string file, string work, int sizeMb)
    {
        if (!File.Exists(baseline))
        {
            return null;
        }

        var output = await RunAsync("node", [baseline, file, Path.Combine(work, "baseline-upload.tmp")], work);
        var metric = output.Split(' ', '\n').FirstOrDefault(p => p.StartsWith("query_s=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The baseline printed no query_s: {output}");
        return sizeMb / double.Parse(metric["query_s=".Length..], CultureInfo.InvariantCulture);
    }

    private static async Task<string> EnsureRandomFileAsync(string work, int sizeMb)
    {
        var path = Path.Combine(work, $"random-{sizeMb}mb.bin");
        if (File.Exists(path) && new FileInfo(path).Length == (long)sizeMb * MiB)
        {
            return path;
        }

        Console.WriteLine($"Generating {path}");
        var buffer = new byte[MiB];
        var partial = path + ".partial";
        var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        await using (stream.ConfigureAwait(false))
        {
            for (var i = 0; i < sizeMb; i++)
            {
                RandomNumberGenerator.Fill(buffer);
                await stream.WriteAsync(buffer);
            }

            // On disk before timing starts, so its writeback does not compete with the puts.
            stream.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>The issue's baseline lives next to the repository (../shared/bench); the project does not depend on it.</summary>
    private static string DefaultBaselinePath()
    {
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ArtifactPortal.sln")))
        {
            directory = directory.Parent;
        }

        return Path.GetFullPath(Path.Combine(directory?.FullName ?? Environment.CurrentDirectory, "..", "shared", "bench", "upload_baseline.mjs"));
    }

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
    }
}
