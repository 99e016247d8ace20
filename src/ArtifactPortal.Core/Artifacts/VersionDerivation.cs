namespace ArtifactPortal.Core.Artifacts;

/// <summary>"Derived from": a lineage edge between versions made outside tracked runs (set in the UI or API).</summary>
public class VersionDerivation
{
    public Guid VersionId { get; set; }

    public Guid SourceVersionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedByUserId { get; set; }
}
