namespace ArtifactPortal.Core.Artifacts;

/// <summary>
/// A staged upload of a new version: its files arrive one PUT (or chunk) at a time and become a version only on commit,
/// so an upload killed halfway leaves nothing visible.
/// </summary>
public class ArtifactUpload
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public Guid ArtifactId { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An upload not committed by then is abandoned; the cleanup job removes it and its staged bytes.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public string MetadataJson { get; set; } = "{}";

    /// <summary>The run that produces this version (checked at begin: a running run of the same project); copied on commit.</summary>
    public Guid? ProducedByRunId { get; set; }

    /// <summary>Set by the commit; a second commit of the same upload is refused.</summary>
    public int? CommittedVersionNumber { get; set; }

    public List<ArtifactUploadFile> Files { get; set; } = [];
}

public class ArtifactUploadFile
{
    public Guid UploadId { get; set; }

    public int Index { get; set; }

    public required string Path { get; set; }

    public long Size { get; set; }

    /// <summary>The client's hash, when it sent one: the content must match it.</summary>
    public string? ExpectedSha256 { get; set; }

    /// <summary>Bytes received so far, as one contiguous prefix (chunks arrive in order and may be re-sent).</summary>
    public long Received { get; set; }

    /// <summary>Set once the whole file is durable in the blob store.</summary>
    public string? Sha256 { get; set; }
}

/// <summary>A blob whose content no longer matches its hash, found by the re-hash job.</summary>
public class DamagedBlob
{
    public required string Sha256 { get; set; }

    public DateTimeOffset DetectedAt { get; set; }

    /// <summary>The hash the stored bytes had, or null when the blob had disappeared.</summary>
    public string? ActualSha256 { get; set; }
}
