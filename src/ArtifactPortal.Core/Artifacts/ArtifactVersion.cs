namespace ArtifactPortal.Core.Artifacts;

/// <summary>An immutable set of files and metadata: v1, v2, … of an artifact.</summary>
public class ArtifactVersion
{
    public Guid Id { get; set; }

    public Guid ArtifactId { get; set; }

    public int Number { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedByUserId { get; set; }

    /// <summary>Key → JSON value, stored as one JSON object.</summary>
    public string MetadataJson { get; set; } = "{}";

    /// <summary>The run that produced this version, when a tracked run logged it.</summary>
    public Guid? ProducedByRunId { get; set; }

    public int FileCount { get; set; }

    public long TotalSize { get; set; }

    /// <summary>Deleted versions keep their row (and number) for the history; their files are gone.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public string? DeletedByUserId { get; set; }

    public string? DeleteReason { get; set; }

    public List<ArtifactFile> Files { get; set; } = [];
}

/// <summary>One file of a version; its content is the blob named by <see cref="Sha256"/>.</summary>
public class ArtifactFile
{
    public Guid VersionId { get; set; }

    /// <summary>Relative, '/'-separated; validated by <see cref="ArtifactFilePath"/>.</summary>
    public required string Path { get; set; }

    public long Size { get; set; }

    public required string Sha256 { get; set; }

    public required string MediaType { get; set; }
}

/// <summary>A name that points at one version of an artifact; <c>latest</c> is moved by every commit.</summary>
public class ArtifactAlias
{
    public Guid ArtifactId { get; set; }

    public required string Name { get; set; }

    public Guid VersionId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedByUserId { get; set; }
}
