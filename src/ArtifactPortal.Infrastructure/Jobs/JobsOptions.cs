namespace ArtifactPortal.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Hangfire worker threads on a node that runs jobs.</summary>
    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Queues this node takes jobs from (<see cref="PortalQueues"/>); empty means all of them.</summary>
    public string[] Queues { get; set; } = [];

    /// <summary>
    /// How long a job taken by a worker that died (killed, crashed) stays invisible before another worker runs it again.
    /// A live worker keeps renewing it, so a long job is never run twice (PostgreSQL and SQL Server storage).
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The queues a job server on this node listens to.</summary>
    public string[] EffectiveQueues => Queues.Length > 0 ? [.. Queues.Distinct(StringComparer.Ordinal)] : [.. PortalQueues.All];

    /// <summary>Errors in the settings, for ValidateOnStart.</summary>
    public IEnumerable<string> Errors()
    {
        var unknown = Queues.Where(q => !PortalQueues.All.Contains(q)).ToList();
        if (unknown.Count > 0)
        {
            yield return $"Jobs:Queues names {string.Join(", ", unknown.Select(q => $"'{q}'"))}, which no portal job uses; "
                + $"the queues are {string.Join(", ", PortalQueues.All)}.";
        }

        if (WorkerCount is < 1 or > 1000)
        {
            yield return $"Jobs:WorkerCount is {WorkerCount}; give 1 to 1000 worker threads.";
        }

        if (InvisibilityTimeout < TimeSpan.FromSeconds(5))
        {
            yield return $"Jobs:InvisibilityTimeout is {InvisibilityTimeout}; give at least 00:00:05.";
        }
    }

    /// <summary>How often a worker looks for new jobs; Hangfire's 15 s default makes the portal feel slow.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job that fails this many times stops; a bad file is not retried for hours.</summary>
    public int RetryAttempts { get; set; } = 2;
}
