namespace ArtifactPortal.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Hangfire worker threads on a node that runs jobs.</summary>
    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    public string[] Queues { get; set; } = ["default"];

    /// <summary>How often a worker looks for new jobs; Hangfire's 15 s default makes the portal feel slow.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job that fails this many times stops; a bad file is not retried for hours.</summary>
    public int RetryAttempts { get; set; } = 2;
}
