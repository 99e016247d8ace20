using System.Diagnostics;
using System.Globalization;
using ArtifactPortal.Infrastructure.Thumbnails;
using NetVips;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Thumbnails;

/// <summary>
/// "thumbnails": a 6000 × 4000 JPEG and PNG (gradient + noise, made with libvips here), thumbnailed to 256 px by the portal's
/// `thumbnail` command (wall time of the whole process and the time it reports for the work itself), by the engine in this
/// process (256 and 64 px WebP, one decode), and by Debian's `vipsthumbnail -s 256` in the same run; peak RSS from GNU time.
/// </summary>
public static class ThumbnailBenchmark
{
    private const double TargetRatio = 1.3;
    private const double TargetPeakMb = 150;
    private const string Time = "/usr/bin/time";
    private static readonly string[] Header =
        ["image", "size", "vipsthumbnail", "peak", "`thumbnail` cmd", "(work inside)", "peak", "in-process 256+64", "cmd / vips", "work / vips"];

    public sealed record Options(string PortalDll, string Work, int Runs, bool Quick);

    private sealed record Measurement(double Seconds, double PeakMb, double? ReportedSeconds = null);

    public static async Task RunAsync(Options options)
    {
        if (!File.Exists(options.PortalDll))
        {
            throw new FileNotFoundException($"Build the portal first (dotnet build src/ArtifactPortal.Web -c Release): {options.PortalDll} is missing.");
        }

        var vipsthumbnail = OnPath("vipsthumbnail") ? "vipsthumbnail" : null;
        if (vipsthumbnail is null)
        {
            Console.WriteLine("thumbnails: vipsthumbnail not found (Debian package libvips-tools); the comparison is skipped.");
        }

        if (!File.Exists(Time))
        {
            throw new FileNotFoundException($"{Time} (Debian package `time`) measures peak memory; .ci/bench.sh installs it.");
        }

        var folder = Directory.CreateDirectory(Path.Combine(options.Work, "thumbnails")).FullName;
        var (width, height) = options.Quick ? (1500, 1000) : (6000, 4000);
        var images = CreateImages(folder, width, height);
        Console.WriteLine($"thumbnails: {width} × {height} gradient + noise; {options.Runs} timed runs after one warm-up; median seconds; " +
                          $"vipsthumbnail {(vipsthumbnail is null ? "missing" : VipsthumbnailVersion())}, NetVips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}");
        using var thumbnailer = new VipsThumbnailer(Microsoft.Extensions.Options.Options.Create(new ThumbnailOptions()));
        var rows = new List<string[]> { Header };
        foreach (var (name, path) in images)
        {
            var size = $"{new FileInfo(path).Length / (double)MiB:F1} MB";
            var portalRuns = await RepeatAsync(options.Runs, () => PortalCommandAsync(options.PortalDll, path, Path.Combine(folder, "portal.webp"), folder));
            var vipsRuns = vipsthumbnail is null ? null
                : await RepeatAsync(options.Runs, () => VipsthumbnailAsync(path, Path.Combine(folder, "vips.webp"), folder));
            var inProcess = await RepeatAsync(options.Runs, () => InProcessAsync(thumbnailer, path));
            var portal = Summarise(portalRuns);
            var work = Median([.. portalRuns.Select(r => r.ReportedSeconds ?? double.NaN)]);
            var vips = vipsRuns is null ? null : Summarise(vipsRuns);
            var ratio = vips is null ? "–" : $"{portal.Seconds / vips.Seconds:F2}×";
            var workRatio = vips is null ? "–" : $"{work / vips.Seconds:F2}×";
            rows.Add([name, size, vips is null ? "–" : $"{vips.Seconds:F2} s", vips is null ? "–" : $"{vips.PeakMb:F0} MB",
                $"{portal.Seconds:F2} s", $"{work:F2} s", $"{portal.PeakMb:F0} MB", $"{Median([.. inProcess.Select(r => r.Seconds)]):F2} s", ratio, workRatio]);
            var verdict = vips is null ? "" : (work / vips.Seconds <= TargetRatio ? "within" : "NOT within") + $" {TargetRatio}× of vipsthumbnail (work); ";
            verdict += portal.PeakMb < TargetPeakMb ? $"peak < {TargetPeakMb:F0} MB" : $"peak NOT < {TargetPeakMb:F0} MB";
            AddSummary($"thumbnails {name} 256 px", $"{portal.Seconds:F2} s cmd, {work:F2} s work, {portal.PeakMb:F0} MB",
                vips is null ? verdict : $"vipsthumbnail {vips.Seconds:F2} s, {vips.PeakMb:F0} MB; {verdict}");
        }

        PrintTable(rows);
    }

    private static List<(string Name, string Path)> CreateImages(string folder, int width, int height)
    {
        var stopwatch = Stopwatch.StartNew();
        using var xy = Image.Xyz(width, height);
        using var red = xy[0] * (255.0 / width);
        using var green = xy[1] * (255.0 / height);
        using var blue = (xy[0] + xy[1]) * (255.0 / (width + height));
        using var gradient = red.Bandjoin(green, blue);
        // Noise like a camera sensor's, so the files compress like photographs rather than like flat colour.
        using var noise = Image.Gaussnoise(width, height, sigma: 12);
        using var noisy = gradient + noise;
        using var photo = noisy.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        var jpeg = Path.Combine(folder, "photo.jpg");
        var png = Path.Combine(folder, "photo.png");
        photo.Jpegsave(jpeg, q: 90);
        photo.Pngsave(png, compression: 6);
        Console.WriteLine($"thumbnails: wrote the test images in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return [("JPEG", jpeg), ("PNG", png)];
    }

    private static async Task<List<Measurement>> RepeatAsync(int runs, Func<Task<Measurement>> measure)
    {
        await measure(); // warm-up: page cache, JIT of the tools themselves
        var results = new List<Measurement>();
        for (var i = 0; i < runs; i++)
        {
            results.Add(await measure());
        }

        return results;
    }

    private static async Task<Measurement> PortalCommandAsync(string portalDll, string image, string output, string work)
    {
        var (seconds, peakMb, stdout) = await TimedAsync("dotnet", [portalDll, "thumbnail", image, output, "--size", "256"], work);
        // "Wrote …: 256 × 171 WebP, 574 bytes, in 166 ms."
        var reported = stdout.Split(" in ", StringSplitOptions.TrimEntries)[^1].Split(' ')[0];
        return new Measurement(seconds, peakMb, double.Parse(reported, CultureInfo.InvariantCulture) / 1000);
    }

    private static async Task<Measurement> VipsthumbnailAsync(string image, string output, string work)
    {
        var (seconds, peakMb, _) = await TimedAsync("vipsthumbnail", ["-s", "256", "-o", output, image], work);
        return new Measurement(seconds, peakMb);
    }

    private static async Task<Measurement> InProcessAsync(VipsThumbnailer thumbnailer, string image)
    {
        var stopwatch = Stopwatch.StartNew();
        var stream = File.OpenRead(image);
        await using (stream.ConfigureAwait(false))
        {
            await thumbnailer.CreateAsync(stream, [256, 64], CancellationToken.None);
        }

        return new Measurement(stopwatch.Elapsed.TotalSeconds, double.NaN);
    }

    /// <summary>Wall seconds measured here, peak RSS (MB) from GNU time's %M, and the program's standard output.</summary>
    private static async Task<(double Seconds, double PeakMb, string Output)> TimedAsync(string program, IReadOnlyList<string> arguments, string work)
    {
        var report = Path.Combine(work, "time.txt");
        var stopwatch = Stopwatch.StartNew();
        var output = await RunProcessAsync(Time, ["-f", "%M", "-o", report, program, .. arguments], work);
        stopwatch.Stop();
        var peakKb = double.Parse((await File.ReadAllTextAsync(report)).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        return (stopwatch.Elapsed.TotalSeconds, peakKb / 1024, output);
    }

    private static Measurement Summarise(List<Measurement> runs) =>
        new(Median([.. runs.Select(r => r.Seconds)]), runs.Max(r => r.PeakMb));

    private static string VipsthumbnailVersion()
    {
        using var process = Process.Start(StartInfo("vipsthumbnail", ["--vips-version"], Environment.CurrentDirectory))!;
        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }

    private static void PrintTable(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        Console.WriteLine();
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))) + " |");
            if (row == rows[0])
            {
                Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            }
        }
    }
}
