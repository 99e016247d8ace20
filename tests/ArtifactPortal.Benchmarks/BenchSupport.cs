using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace ArtifactPortal.Benchmarks;

/// <summary>Helpers every whole-system benchmark shares: statistics, child processes, random test files, the summary table.</summary>
public static class BenchSupport
{
    public const int MiB = 1024 * 1024;

    private static readonly List<(string Benchmark, string Result, string Detail)> SummaryRows = [];

    public static void AddSummary(string benchmark, string result, string detail = "") => SummaryRows.Add((benchmark, result, detail));

    public static void PrintSummary()
    {
        if (SummaryRows.Count == 0)
        {
            return;
        }

        var width = SummaryRows.Max(r => r.Benchmark.Length);
        var resultWidth = SummaryRows.Max(r => r.Result.Length);
        Console.WriteLine();
        Console.WriteLine("==> Summary");
        foreach (var (benchmark, result, detail) in SummaryRows)
        {
            Console.WriteLine($"{benchmark.PadRight(width)}  {result.PadRight(resultWidth)}  {detail}".TrimEnd());
        }
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string F0(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>"median (min–max)" of a set of rates.</summary>
    public static string MedianAndRange(IReadOnlyCollection<double> values, string format = "F0") =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(values).ToString(format, CultureInfo.InvariantCulture)} " +
            $"({values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)})");

    /// <summary>
    /// A file of <paramref name="sizeMb"/> MiB of random bytes and its SHA-256. One 64 MiB random block from the CSPRNG is repeated
    /// with a different 8-byte counter stamped into each MiB, so no two MiB are equal (nothing a deduplicating or compressing
    /// layer could exploit) and 2 GiB take seconds rather than the time of 2 GiB from the CSPRNG.
    /// </summary>
    public static async Task<(string Path, string Sha256)> CreateRandomFileAsync(string folder, int sizeMb)
    {
        var path = Path.Combine(folder, $"random-{sizeMb}mb.bin");
        const int blockMb = 64;
        var block = new byte[blockMb * MiB];
        RandomNumberGenerator.Fill(block);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        await using (stream.ConfigureAwait(false))
        {
            for (var mb = 0; mb < sizeMb; mb++)
            {
                var slice = block.AsMemory(mb % blockMb * MiB, MiB);
                BitConverter.TryWriteBytes(slice.Span, (long)mb);
                hash.AppendData(slice.Span);
                await stream.WriteAsync(slice);
            }

            // On disk before timing starts, so its writeback does not compete with the measured uploads.
            stream.Flush(flushToDisk: true);
        }

        return (path, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Runs a program to its end; its standard output, or an exception with both outputs when it fails.</summary>
    public static async Task<string> RunProcessAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(fileName, arguments, workingDirectory, environment))
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
    }

    public static ProcessStartInfo StartInfo(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
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

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The folder holding ArtifactPortal.sln, found upwards from the current folder.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ArtifactPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Environment.CurrentDirectory;
    }

    /// <summary>
    /// The Node.js stream-to-disk-with-SHA-256 baseline of issue 4: the copy in this project (Baseline/), unless a path is given.
    /// Null, with the reason printed, when Node.js or the script is missing: the comparison is then skipped.
    /// </summary>
    public static string? FindBaseline(string? configured)
    {
        var path = configured ?? Path.Combine(AppContext.BaseDirectory, "Baseline", "upload_baseline.mjs");
        if (!File.Exists(path))
        {
            Console.WriteLine($"Node.js baseline skipped: {path} not found.");
            return null;
        }

        if (!OnPath("node") || !OnPath("openssl"))
        {
            Console.WriteLine("Node.js baseline skipped: it needs `node` and `openssl` on PATH.");
            return null;
        }

        return path;
    }

    /// <summary>
    /// MiB/s of the baseline: Node.js receives the file from curl over loopback, hashing and writing it; without fsync as in
    /// issue 4, or <paramref name="durable"/>: flushed to disk before the answer, like the portal.
    /// </summary>
    /// <summary>The Node.js upload baseline on <paramref name="file"/>: MiB/s, and the CPU seconds its server process used.</summary>
    public static async Task<(double Rate, double CpuSeconds)> RunBaselineAsync(string baseline, string file, string work, double sizeMb, bool durable = false)
    {
        var output = await RunProcessAsync("node", [baseline, file, Path.Combine(work, "baseline-upload.tmp"), .. durable ? ["--fsync"] : Array.Empty<string>()], work);
        var fields = output.Split(' ', '\n');
        double Field(string name) => double.Parse(
            (fields.FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"The baseline printed no {name}: {output}"))[(name.Length + 1)..], CultureInfo.InvariantCulture);
        return (sizeMb / Field("query_s"), Field("cpu_s"));
    }

    /// <summary>MiB/s of writing <paramref name="sizeMb"/> MiB to a file in <paramref name="folder"/> and fsyncing it: what a durable upload can reach here.</summary>
    public static async Task<double> DiskWriteRateAsync(string folder, int sizeMb)
    {
        var path = Path.Combine(folder, "disk-probe.tmp");
        var buffer = new byte[MiB];
        RandomNumberGenerator.Fill(buffer);
        var stopwatch = Stopwatch.StartNew();
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        await using (stream.ConfigureAwait(false))
        {
            for (var i = 0; i < sizeMb; i++)
            {
                await stream.WriteAsync(buffer);
            }

            stream.Flush(flushToDisk: true);
        }

        stopwatch.Stop();
        File.Delete(path);
        return sizeMb / stopwatch.Elapsed.TotalSeconds;
    }

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => p.Length > 0 && File.Exists(Path.Combine(p, program)));
}
