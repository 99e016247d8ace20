using ArtifactPortal.Benchmarks.Artifacts;

// ./build.sh bench [--size-mb N]: whole-system benchmarks; each prints its own table.
return args is [BlobPutBenchmark.ChildCommand, ..]
    ? await BlobPutBenchmark.RunChildAsync(args[1..])
    : await BlobPutBenchmark.RunAsync(args);
