using System.Diagnostics;
using System.Globalization;
using ArtifactPortal.Infrastructure.Storage;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Artifacts;

/// <summary>
/// "blob-put": FileSystemBlobStore.PutAsync from a FileStream (hash, write, fsync, link) for 200 MiB and a large file, each in a
/// fresh child process so that its peak RSS is its own, next to the Node.js stream-to-disk baseline.
/// </summary>
public static class BlobPutBenchmark
{
    public const string ChildCommand = "blob-put-child";

    public static async Task RunAsync(int sizeMb, int runs, string? baselineOption, string workRoot)
    {
        var work = Directory.CreateDirectory(Path.Combine(workRoot, "blob-put")).FullName;
        Console.WriteLine($"blob-put: FileSystemBlobStore.PutAsync from a FileStream, durable (fsync) before it returns; MB = MiB; " +
                          $"median of {runs} runs, alternating with the baseline");
        var baseline = FindBaseline(baselineOption);
        foreach (var size in new[] { 200, sizeMb }.Distinct())
        {
            var (file, _) = await CreateRandomFileAsync(work, size);
            var portal = new List<double>();
            var node = new List<double>();
            var nodeDurable = new List<double>();
            long peakRss = 0;
            for (var run = 0; run < runs; run++)
            {
                var (seconds, peak) = await RunChildPutAsync(file, work);
                portal.Add(size / seconds);
                peakRss = Math.Max(peakRss, peak);
                if (baseline is not null)
                {
                    node.Add((await RunBaselineAsync(baseline, file, work, size)).Rate);
                    nodeDurable.Add((await RunBaselineAsync(baseline, file, work, size, durable: true)).Rate);
                }
            }

            var comparison = node.Count == 0
                ? "Node baseline skipped"
                : $"Node {MedianAndRange(node)} MB/s, store/Node {Median(portal) / Median(node):F2}x; " +
                  $"Node + fsync {MedianAndRange(nodeDurable)} MB/s, store/(Node + fsync) {Median(portal) / Median(nodeDurable):F2}x";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,7} MB  {MedianAndRange(portal)} MB/s  peak RSS {peakRss / (double)MiB:F0} MB   {comparison}"));
            AddSummary($"blob-put {size} MB (in process)", $"{MedianAndRange(portal)} MB/s", $"{comparison}; peak RSS {peakRss / (double)MiB:F0} MB");
            File.Delete(file);
        }
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
        var root = Directory.CreateDirectory(Path.Combine(work, "blobs")).FullName;
        try
        {
            var self = Environment.ProcessPath!;
            string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? [typeof(BlobPutBenchmark).Assembly.Location, ChildCommand, file, root]
                : [ChildCommand, file, root];
            var output = (await RunProcessAsync(self, arguments, work)).Trim().Split(' ');
            return (double.Parse(output[0], CultureInfo.InvariantCulture), long.Parse(output[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
