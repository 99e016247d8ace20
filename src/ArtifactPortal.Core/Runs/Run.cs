namespace ArtifactPortal.Core.Runs;

/// <summary>A named group of runs in a project, e.g. "resnet-sweep".</summary>
public class Experiment
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public required string Name { get; set; }

    /// <summary>Upper-invariant <see cref="Name"/>: unique per project ignoring case.</summary>
    public required string NormalizedName { get; set; }

    public string? Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedByUserId { get; set; }
}

public enum RunStatus
{
    Running,
    Finished,
    Failed,
    Killed,
}

/// <summary>One execution of a training or evaluation script.</summary>
public class Run
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public Guid ExperimentId { get; set; }

    /// <summary>1, 2, … per project, never reused; the run's address in pages (runs/17).</summary>
    public int Number { get; set; }

    public required string Name { get; set; }

    public RunStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>A running run whose client stops sending heartbeats is marked killed after a timeout.</summary>
    public DateTimeOffset LastHeartbeatAt { get; set; }

    public required string CreatedByUserId { get; set; }

    /// <summary>Markdown, sanitized when shown.</summary>
    public string? Notes { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceEntryPoint { get; set; }

    public string? SourceHost { get; set; }

    public Guid ConcurrencyStamp { get; set; }

    public List<RunParam> Params { get; set; } = [];

    public List<RunTag> Tags { get; set; } = [];
}

public class RunParam
{
    public Guid RunId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }
}

public class RunTag
{
    public Guid RunId { get; set; }

    public required string Name { get; set; }
}

/// <summary>An artifact version a run consumed. Outputs are <see cref="Artifacts.ArtifactVersion.ProducedByRunId"/>.</summary>
public class RunInput
{
    public Guid RunId { get; set; }

    public Guid VersionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
