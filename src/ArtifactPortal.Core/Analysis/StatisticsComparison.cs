using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Analysis;

/// <summary>How the tabular files of one version differ from those of another (the baseline).</summary>
public sealed record StatisticsComparison(int BaselineVersion, int Version, IReadOnlyList<FileDrift> Files);

/// <param name="BaselinePath">The file compared against; differs from <paramref name="Path"/> when each version has one tabular file.</param>
public sealed record FileDrift(
    string Path,
    string BaselinePath,
    long BaselineRows,
    long Rows,
    IReadOnlyList<ColumnDrift> Columns,
    IReadOnlyList<string> AddedColumns,
    IReadOnlyList<string> RemovedColumns)
{
    public long RowChange => Rows - BaselineRows;

    /// <summary>Null when the baseline had no rows.</summary>
    public double? RowChangeFraction => BaselineRows == 0 ? null : (double)RowChange / BaselineRows;
}

/// <param name="MeanShiftInStandardDeviations">The mean shift in baseline standard deviations; null without both means or with a constant baseline.</param>
/// <param name="PopulationStabilityIndex">PSI of the value distribution (histogram bins or top values); null when it cannot be computed.</param>
public sealed record ColumnDrift(
    string Name,
    ColumnType BaselineType,
    ColumnType Type,
    double BaselineNullPercent,
    double NullPercent,
    double? BaselineMean,
    double? Mean,
    double? MeanShiftInStandardDeviations,
    double? PopulationStabilityIndex)
{
    /// <summary>Percentage points.</summary>
    public double NullPercentChange => NullPercent - BaselineNullPercent;

    public double? MeanShift => Mean - BaselineMean;

    public DriftLevel Drift => StatisticsDrift.Level(PopulationStabilityIndex);
}

/// <summary>The usual PSI reading: below 0.1 stable, up to 0.2 moderate, above 0.2 significant.</summary>
public enum DriftLevel
{
    Unknown,
    None,
    Moderate,
    Significant,
}
