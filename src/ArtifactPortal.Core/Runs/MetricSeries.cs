namespace ArtifactPortal.Core.Runs;

/// <summary>The points of one metric key of one run, with running summaries so tables need not scan points.</summary>
public class MetricSeries
{
    /// <summary>Database-generated; a small key keeps the points table compact.</summary>
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string Key { get; set; }

    /// <summary>Points stored so far; the next point's <see cref="MetricPoint.Index"/>.</summary>
    public long Count { get; set; }

    /// <summary>The value at the highest step (finite values only for min and max).</summary>
    public double? Last { get; set; }

    public long? LastStep { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    public long? MinStep { get; set; }

    public long? MaxStep { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>SQL Server's float cannot hold NaN or infinities, so they are stored as a kind beside a zero value.</summary>
public enum MetricValueKind : byte
{
    Finite = 0,
    NaN = 1,
    PositiveInfinity = 2,
    NegativeInfinity = 3,
}

/// <summary>One logged value. Duplicate steps are kept: the key is the arrival order within the series.</summary>
public class MetricPoint
{
    public long SeriesId { get; set; }

    public long Index { get; set; }

    public long Step { get; set; }

    /// <summary>Unix milliseconds (UTC) as sent by the client.</summary>
    public long TimestampMs { get; set; }

    public double Value { get; set; }

    public MetricValueKind Kind { get; set; }
}
