using System.Text.Json;

namespace ArtifactPortal.Core.Artifacts;

public sealed record NewArtifact(string Name, ArtifactType Type, string? Description = null, IReadOnlyList<string>? Tags = null);

public sealed record ArtifactChanges(string Description, IReadOnlyList<string> Tags);

public enum ArtifactSort
{
    Updated,
    Name,
    Size,
}

/// <param name="Page">1-based.</param>
public sealed record ArtifactQuery(
    string? Search = null, ArtifactType? Type = null, string? Tag = null, ArtifactSort Sort = ArtifactSort.Updated, int Page = 1, int PageSize = 50);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total);

/// <summary>A page of an artifact's versions with the names to build identifiers from (the slug may differ from the one asked for).</summary>
public sealed record ArtifactVersionListing(string ProjectSlug, string ArtifactName, PagedList<ArtifactVersionSummary> Versions);

public sealed record ArtifactSummary(
    Guid Id,
    string Name,
    ArtifactType Type,
    string Description,
    IReadOnlyList<string> Tags,
    int? LatestVersion,
    int VersionCount,
    long LatestVersionSize,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <param name="Aliases">Alias → version number, <c>latest</c> included.</param>
public sealed record ArtifactDetails(ArtifactSummary Summary, string ProjectSlug, string CreatedBy, IReadOnlyDictionary<string, int> Aliases);

public sealed record ArtifactVersionSummary(
    int Number,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    int FileCount,
    long TotalSize,
    IReadOnlyList<string> Aliases,
    DateTimeOffset? DeletedAt,
    string? DeletedBy,
    string? DeleteReason)
{
    public bool IsDeleted => DeletedAt is not null;
}

public sealed record ArtifactVersionDetails(
    string ProjectSlug,
    Guid ArtifactId,
    string ArtifactName,
    ArtifactType Type,
    ArtifactVersionSummary Version,
    IReadOnlyDictionary<string, JsonElement> Metadata,
    Guid? ProducedByRunId,
    IReadOnlyList<ArtifactFileEntry> Files,
    IReadOnlySet<string> DamagedSha256)
{
    public string Identifier => ArtifactReference.For(ProjectSlug, ArtifactName, Version.Number);
}

/// <summary>Differences between two versions: files by path and hash, metadata by key.</summary>
public sealed record ArtifactVersionComparison(
    ArtifactVersionDetails From,
    ArtifactVersionDetails To,
    IReadOnlyList<ArtifactFileEntry> Added,
    IReadOnlyList<ArtifactFileEntry> Removed,
    IReadOnlyList<(ArtifactFileEntry From, ArtifactFileEntry To)> Changed,
    int Unchanged,
    IReadOnlyList<MetadataDifference> Metadata);

/// <summary>A metadata key whose value differs; null when the key is missing on that side.</summary>
public sealed record MetadataDifference(string Key, string? From, string? To);

/// <param name="UsedBytes">Distinct blobs referenced by live versions of the project (a file stored twice counts once).</param>
public sealed record ProjectStorageUsage(long UsedBytes, long? QuotaBytes, int ArtifactCount, int VersionCount);
