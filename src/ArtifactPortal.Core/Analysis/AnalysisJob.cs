namespace ArtifactPortal.Core.Analysis;

/// <summary>What a background job computes for a committed version.</summary>
public enum AnalysisKind
{
    Statistics,
    Thumbnail,
}

public enum AnalysisStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// The state of one kind of analysis of one version, shown on the version page. One row per version and kind: a re-run
/// resets it, so re-running never duplicates results.
/// </summary>
public class AnalysisJob
{
    public Guid Id { get; set; }

    public Guid VersionId { get; set; }

    public AnalysisKind Kind { get; set; }

    public AnalysisStatus Status { get; set; }

    /// <summary>0..1 of the bytes to read, while running.</summary>
    public double Progress { get; set; }

    /// <summary>A readable reason when failed (e.g. "data.csv: row 18 has 5 fields, the header has 4").</summary>
    public string? Error { get; set; }

    public string? HangfireJobId { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Null when the commit queued it; the Editor's id when re-run by hand.</summary>
    public string? RequestedByUserId { get; set; }
}

/// <summary>The statistics of one tabular file of a version (or why they could not be computed).</summary>
public class VersionFileStatistics
{
    public Guid VersionId { get; set; }

    public required string Path { get; set; }

    /// <summary>A serialized <see cref="Statistics.FileStatistics"/>; null when <see cref="Error"/> is set.</summary>
    public string? StatisticsJson { get; set; }

    public string? Error { get; set; }

    public long RowCount { get; set; }

    public int ColumnCount { get; set; }

    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>A WebP thumbnail kept as a content-addressed blob; <see cref="Path"/> is empty for the version's cover.</summary>
public class VersionThumbnail
{
    public Guid VersionId { get; set; }

    public required string Path { get; set; }

    /// <summary>Longest side in pixels: 256 or 64.</summary>
    public int Size { get; set; }

    public required string Sha256 { get; set; }

    public long Length { get; set; }
}
