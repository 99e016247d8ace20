using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Analysis;

public sealed record AnalysisJobStatus(
    AnalysisKind Kind,
    AnalysisStatus Status,
    double Progress,
    string? Error,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts)
{
    public bool IsActive => Status is AnalysisStatus.Queued or AnalysisStatus.Running;
}

/// <param name="Statistics">Null when <paramref name="Error"/> says why the file could not be read.</param>
public sealed record FileStatisticsResult(string Path, FileStatistics? Statistics, string? Error, DateTimeOffset ComputedAt);

/// <param name="TabularFiles">The files statistics apply to, whether computed yet or not.</param>
public sealed record VersionStatistics(
    string ProjectSlug,
    string ArtifactName,
    int VersionNumber,
    IReadOnlyList<AnalysisJobStatus> Jobs,
    IReadOnlyList<string> TabularFiles,
    IReadOnlyList<FileStatisticsResult> Files);

/// <summary>A stored thumbnail; <see cref="Path"/> is empty for the version's cover.</summary>
public sealed record ThumbnailEntry(string Path, int Size, string Sha256);

/// <summary>The covers (64 and 256 px) of an artifact's latest version, for lists.</summary>
public sealed record ArtifactCover(Guid ArtifactId, string? Small, string? Large);
