// Hangfire keeps process-wide static state (JobStorage.Current): portal hosts are created one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
