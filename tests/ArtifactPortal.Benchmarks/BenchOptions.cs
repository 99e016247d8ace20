using System.Globalization;

namespace ArtifactPortal.Benchmarks;

/// <summary>The command line of ./build.sh bench.</summary>
public sealed record BenchOptions(
    IReadOnlySet<string> Benchmarks,
    int Runs,
    int BlobPutSizeMb,
    IReadOnlyList<int> ApiSizesMb,
    int ChunkedSizeMb,
    int ListRequests,
    IReadOnlyList<int> StatsRows,
    int Circuits,
    bool Quick,
    bool Keep,
    string? Baseline,
    string PortalDll,
    string CommandDll,
    string Work)
{
    public const string BlobPut = "blob-put";
    public const string ApiTransfer = "api-transfer";
    public const string Lists = "lists";
    public const string Thumbnails = "thumbnails";
    public const string Stats = "stats";
    public const string Lineage = "lineage";
    public const string Metrics = "metrics";
    public const string Load = "load";

    public const string Usage = """
        usage: ./build.sh bench [blob-put] [api-transfer] [lists] [thumbnails] [stats] [lineage] [metrics] [load] [options]     (no names: all)
          --runs N            runs per measurement (default 3)
          --size-mb N         blob-put: the large file (default 1024; 200 MB always runs too)
          --api-sizes-mb A,B  api-transfer: file sizes (default 200,2048)
          --chunked-mb N      api-transfer: file size for the 8 MiB chunked upload (default 1024; 0 skips)
          --requests N        lists, lineage, metrics: timed calls per case (default 200)
          --circuits N        load: interactive Blazor circuits (headless Chromium pages) at once (default 100)
          --stats-rows A,B    stats: generated rows per file (default 1000000,5000000)
          --quick             small sizes everywhere, to check that the benchmarks work (not for numbers)
          --keep              keep the temporary folder (portal data, SQLite databases) for a look afterwards
          --baseline FILE     Node.js upload baseline (default: the copy in tests/ArtifactPortal.Benchmarks/Baseline)
          --portal DLL        the portal's ArtifactPortal.dll (default: src/ArtifactPortal.Web/bin/Release/net10.0)
          --command-portal DLL  thumbnails, stats: the ArtifactPortal.dll whose one-shot commands run (default: the ReadyToRun
                              publish in artifacts/bench-portal that ./build.sh bench makes, as the Dockerfile publishes;
                              --portal when it is missing)
        Test files and portal data go to a temporary folder that is deleted at the end.
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var benchmarks = new HashSet<string>(StringComparer.Ordinal);
        var (runs, blobPut, chunked, requests, circuits, quick, keep) = (3, 1024, 1024, 200, 100, false, false);
        IReadOnlyList<int> apiSizes = [200, 2048];
        IReadOnlyList<int> statsRows = [1_000_000, 5_000_000];
        string? baseline = null;
        var portal = PortalProcess.DefaultDll();
        string? command = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case BlobPut or ApiTransfer or Lists or Thumbnails or Stats or Lineage or Metrics or Load:
                    benchmarks.Add(args[i]);
                    continue;
                case "--quick":
                    quick = true;
                    continue;
                case "--keep":
                    keep = true;
                    continue;
                case "--runs" when Positive(value) is { } n:
                    runs = n;
                    break;
                case "--size-mb" when Positive(value) is { } n:
                    blobPut = n;
                    break;
                case "--chunked-mb" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0:
                    chunked = n;
                    break;
                case "--requests" when Positive(value) is { } n:
                    requests = n;
                    break;
                case "--circuits" when Positive(value) is { } n:
                    circuits = n;
                    break;
                case "--stats-rows" when value?.Split(',').Select(Positive).ToList() is { } counts && counts.All(c => c is not null):
                    statsRows = [.. counts.Select(c => c!.Value)];
                    break;
                case "--api-sizes-mb" when value?.Split(',').Select(Positive).ToList() is { } sizes && sizes.All(s => s is not null):
                    apiSizes = [.. sizes.Select(s => s!.Value)];
                    break;
                case "--baseline" when value is not null:
                    baseline = Path.GetFullPath(value);
                    break;
                case "--portal" when value is not null:
                    portal = Path.GetFullPath(value);
                    break;
                case "--command-portal" when value is not null:
                    command = Path.GetFullPath(value);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
                    return null;
            }

            i++;
        }

        if (benchmarks.Count == 0)
        {
            benchmarks.UnionWith([BlobPut, ApiTransfer, Lists, Thumbnails, Stats, Lineage, Metrics, Load]);
        }

        if (quick)
        {
            (runs, blobPut, chunked, requests, apiSizes, statsRows) = (Math.Min(runs, 2), 64, 64, 20, [16, 64], [100_000]);
        }

        var work = Directory.CreateTempSubdirectory("artifactportal-bench-").FullName;
        command ??= File.Exists(PortalProcess.PublishedDll()) ? PortalProcess.PublishedDll() : portal;
        return new BenchOptions(benchmarks, runs, blobPut, apiSizes, chunked, requests, statsRows, circuits, quick, keep, baseline, portal, command, work);
    }

    private static int? Positive(string? value) => int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
