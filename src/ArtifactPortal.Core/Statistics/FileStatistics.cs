namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// The statistics of one tabular file (CSV/TSV, optionally gzipped, Parquet, JSON Lines), computed in one streaming pass.
/// Serialized as JSON into the database and returned by the API as is.
/// </summary>
public sealed record FileStatistics
{
    /// <summary>"csv", "tsv", "parquet" or "jsonl".</summary>
    public required string Format { get; init; }

    public required long SizeBytes { get; init; }

    public required long RowCount { get; init; }

    public int ColumnCount => Columns.Count;

    /// <summary>Rows whose content hash was seen before (estimated when the row count exceeds the exact limit).</summary>
    public required long DuplicateRowEstimate { get; init; }

    /// <summary>Delimiter, header, quoting and encoding detected for text files; null for Parquet and JSON Lines.</summary>
    public CsvDialect? Dialect { get; init; }

    public required IReadOnlyList<ColumnStatistics> Columns { get; init; }

    public required IReadOnlyList<StatisticsWarning> Warnings { get; init; }
}

public sealed record CsvDialect(char Delimiter, bool HasHeader, char Quote, string Encoding, bool Gzip);

/// <summary>A finding a data scientist should look at; <see cref="Code"/> is stable (e.g. "constant-column").</summary>
public sealed record StatisticsWarning(string Code, string? Column, string Message);

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names data people use; they appear in the API.")]
public enum ColumnType
{
    Integer,
    Float,
    Boolean,
    DateTime,
    String,
}

public sealed record ColumnStatistics
{
    public required string Name { get; init; }

    public required ColumnType Type { get; init; }

    /// <summary>Non-null values.</summary>
    public required long Count { get; init; }

    public required long Nulls { get; init; }

    public double NullFraction => Count + Nulls == 0 ? 0 : (double)Nulls / (Count + Nulls);

    public required long Distinct { get; init; }

    /// <summary>True when <see cref="Distinct"/> comes from the cardinality sketch (≤ 2% error) instead of an exact count.</summary>
    public required bool DistinctIsEstimate { get; init; }

    /// <summary>Numbers and booleans as numbers; date-times as Unix seconds (UTC).</summary>
    public double? Min { get; init; }

    public double? Max { get; init; }

    public double? Mean { get; init; }

    public double? StandardDeviation { get; init; }

    public long Zeros { get; init; }

    public long Negatives { get; init; }

    /// <summary>p1, p5, p25, p50, p75, p95, p99 for numbers and date-times (rank error ≤ 1%).</summary>
    public Quantiles? Quantiles { get; init; }

    /// <summary>About 30 equal-width bins for numbers and date-times.</summary>
    public Histogram? Histogram { get; init; }

    /// <summary>Strings and booleans: the 20 most frequent values; <see cref="OtherCount"/> counts the rest.</summary>
    public IReadOnlyList<ValueCount>? TopValues { get; init; }

    public long OtherCount { get; init; }

    /// <summary>Strings only: length in characters.</summary>
    public LengthStatistics? Lengths { get; init; }
}

public sealed record Quantiles(double P1, double P5, double P25, double P50, double P75, double P95, double P99);

/// <summary><see cref="Edges"/> has one more entry than <see cref="Counts"/>.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);

public sealed record ValueCount(string Value, long Count);

public sealed record LengthStatistics(int Min, double Mean, int Max);
