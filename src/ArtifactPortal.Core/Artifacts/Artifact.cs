namespace ArtifactPortal.Core.Artifacts;

/// <summary>A named, versioned thing in a project: a dataset, a model, an evaluation, …</summary>
public class Artifact
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    /// <summary>Unique in the project; part of identifiers such as <c>project/name:v3</c>.</summary>
    public required string Name { get; set; }

    /// <summary>Lowercase name: unique in the project, so "ResNet" and "resnet" cannot both exist.</summary>
    public required string NormalizedName { get; set; }

    public ArtifactType Type { get; set; }

    /// <summary>Markdown.</summary>
    public string Description { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedByUserId { get; set; }

    /// <summary>Last time a version was committed or deleted, or the artifact was edited; lists sort by it.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Numbers are never reused, even after a version is deleted.</summary>
    public int LastVersionNumber { get; set; }

    /// <summary>Denormalized from the versions, so a list of 100,000 versions never has to be aggregated per request.</summary>
    public int VersionCount { get; set; }

    /// <summary>Size of the newest live version; 0 when there is none.</summary>
    public long LatestVersionSize { get; set; }

    /// <summary>Changes on every commit so two concurrent commits cannot both take the same version number.</summary>
    public Guid ConcurrencyStamp { get; set; }

    public List<ArtifactTag> Tags { get; set; } = [];
}

public class ArtifactTag
{
    public Guid ArtifactId { get; set; }

    public required string Tag { get; set; }
}
