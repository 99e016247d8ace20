namespace ArtifactPortal.Core.Artifacts;

/// <summary>Limits for uploads, bound from the "Artifacts" section.</summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Artifacts";

    /// <summary>Largest single file; default 100 GiB.</summary>
    public long MaxFileSizeBytes { get; set; } = 100L * 1024 * 1024 * 1024;

    /// <summary>Most files in one version.</summary>
    public int MaxFilesPerVersion { get; set; } = 10_000;

    /// <summary>Storage a project may use unless its settings say otherwise; null means no limit.</summary>
    public long? DefaultProjectQuotaBytes { get; set; }

    /// <summary>How long an upload may stay uncommitted before the cleanup job removes it.</summary>
    public TimeSpan UploadLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an unreferenced blob stays before the cleanup job deletes it (uploads in flight may still need it).</summary>
    public TimeSpan UnreferencedBlobGracePeriod { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How many blobs the integrity job re-hashes per run.</summary>
    public int IntegritySampleSize { get; set; } = 50;
}
