using ArtifactPortal.Benchmarks;
using ArtifactPortal.Benchmarks.Artifacts;
using ArtifactPortal.Benchmarks.Lineage;
using ArtifactPortal.Benchmarks.Load;
using ArtifactPortal.Benchmarks.Runs;
using ArtifactPortal.Benchmarks.Statistics;
using ArtifactPortal.Benchmarks.Thumbnails;

// ./build.sh bench [BENCHMARK…] [options]: whole-system benchmarks, then one summary table. Run with --help for the options.
if (args is [BlobPutBenchmark.ChildCommand, ..])
{
    return await BlobPutBenchmark.RunChildAsync(args[1..]);
}

if (BenchOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

try
{
    if (options.Benchmarks.Contains(BenchOptions.BlobPut))
    {
        await BlobPutBenchmark.RunAsync(options.BlobPutSizeMb, options.Runs, options.Baseline, options.Work);
    }

    if (options.Benchmarks.Contains(BenchOptions.ApiTransfer))
    {
        await ApiTransferBenchmark.RunAsync(new ApiTransferBenchmark.Options(
            options.ApiSizesMb, options.ChunkedSizeMb, options.Runs, options.Baseline, options.PortalDll, options.Work));
    }

    if (options.Benchmarks.Contains(BenchOptions.Lists))
    {
        await ListBenchmark.RunAsync(new ListBenchmark.Options(options.PortalDll, options.Work, options.ListRequests, options.Quick));
    }

    if (options.Benchmarks.Contains(BenchOptions.Thumbnails) || options.Benchmarks.Contains(BenchOptions.Stats))
    {
        Console.WriteLine($"thumbnail and stats commands: {options.CommandDll}");
    }

    if (options.Benchmarks.Contains(BenchOptions.Thumbnails))
    {
        await ThumbnailBenchmark.RunAsync(new ThumbnailBenchmark.Options(options.CommandDll, options.Work, Math.Max(options.Runs, 5), options.Quick));
    }

    if (options.Benchmarks.Contains(BenchOptions.Stats))
    {
        await StatsBenchmark.RunAsync(options.CommandDll, options.Work, options.StatsRows, options.Runs);
    }

    if (options.Benchmarks.Contains(BenchOptions.Lineage))
    {
        await LineageBenchmark.RunAsync(new LineageBenchmark.Options(options.Work, Math.Min(options.ListRequests, 50), options.Quick));
    }

    if (options.Benchmarks.Contains(BenchOptions.Metrics))
    {
        await MetricsBenchmark.RunAsync(new MetricsBenchmark.Options(options.PortalDll, options.Work, options.ListRequests, options.Quick));
    }

    if (options.Benchmarks.Contains(BenchOptions.Load))
    {
        await LoadBenchmark.RunAsync(new LoadBenchmark.Options(options.PortalDll, options.Work, options.Quick, options.Circuits));
    }
}
finally
{
    BenchSupport.PrintSummary();
    if (options.Keep)
    {
        Console.WriteLine($"Kept {options.Work}");
    }
    else if (Directory.Exists(options.Work))
    {
        Directory.Delete(options.Work, recursive: true);
    }
}

return 0;
