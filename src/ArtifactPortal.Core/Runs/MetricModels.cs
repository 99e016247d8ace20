namespace ArtifactPortal.Core.Runs;

/// <summary>One logged point as a client sends it; <paramref name="Value"/> may be NaN or ±Infinity.</summary>
/// <param name="TimestampMs">Unix milliseconds; null: the arrival time.</param>
public readonly record struct NewMetricPoint(string Key, long Step, double Value, long? TimestampMs = null);

/// <summary>A metric key's running summary. <see cref="Last"/> is null when the value at the highest step is not finite.</summary>
public sealed record MetricSummary(
    string Key, long Count, double? Last, long? LastStep, double? Min, double? Max, long? MinStep, long? MaxStep, DateTimeOffset UpdatedAt);

/// <summary>A point as charts read it; <see cref="Value"/> carries NaN and ±Infinity as themselves.</summary>
public readonly record struct MetricSample(long Step, long TimestampMs, double Value);

/// <param name="MinStep">Inclusive; null: from the first step.</param>
/// <param name="MaxStep">Inclusive; null: to the last step.</param>
/// <param name="MaxPoints">0: every point in the range; otherwise the range is downsampled to about this many points.</param>
public sealed record MetricRange(long? MinStep = null, long? MaxStep = null, int MaxPoints = MetricRange.DefaultMaxPoints)
{
    public const int DefaultMaxPoints = 1500;

    /// <summary>Enough for any chart; a larger request is clamped rather than refused.</summary>
    public const int MaxMaxPoints = 100_000;
}

/// <param name="Total">Points of the series inside the step range.</param>
/// <param name="Downsampled">True when <see cref="Points"/> holds fewer than <see cref="Total"/>.</param>
public sealed record MetricPoints(string Key, long Total, bool Downsampled, IReadOnlyList<MetricSample> Points);

/// <summary>The metrics of one run of a comparison.</summary>
public sealed record RunMetrics(int Number, string Name, IReadOnlyDictionary<string, string> Params, IReadOnlyList<MetricSummary> Metrics);

/// <summary>The points of one metric key of one run, as a page of charts reads many at once.</summary>
public sealed record RunMetricPoints(int Number, MetricPoints Points);
