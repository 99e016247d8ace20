namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>Bounds that keep the statistics of any file within a few hundred MB of memory.</summary>
public static class StatisticsLimits
{
    /// <summary>
    /// A text line (CSV/TSV row, JSON Lines record) longer than this is refused: the parser would have to hold it whole. Below
    /// Sep's own limit of 16 M characters per row, which also bounds a quoted field that never ends.
    /// </summary>
    public const int MaxLineBytes = 8 * 1024 * 1024;

    /// <summary>Bytes looked at to recognise the format and the text encoding.</summary>
    public const int SniffBytes = 64 * 1024;

    /// <summary>JSON Lines records may bring new keys; more columns than this is not a table.</summary>
    public const int MaxColumns = 10_000;

    /// <summary>A Parquet file needs random access; a stream that cannot seek is copied to a temporary file up to this size.</summary>
    public const long MaxParquetSpoolBytes = 64L * 1024 * 1024 * 1024;
}
