namespace ArtifactPortal.Core.Runs;

/// <summary>The "Metrics" configuration section.</summary>
public sealed class MetricOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// Points kept in memory for charts (24 bytes each; 5,000,000 ≈ 120 MB). Scanning a million rows in SQL takes longer
    /// than a chart may wait, so series are read once, then only their new points.
    /// </summary>
    public int CachedPoints { get; set; } = 5_000_000;
}
