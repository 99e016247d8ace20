namespace ArtifactPortal.Core.Runs;

/// <summary>Where metric points live; Infrastructure writes and reads them with batched SQL rather than tracked entities.</summary>
public interface IMetricStore
{
    /// <summary>
    /// Appends a validated batch to the run's series in one transaction: creates missing series, numbers the points after
    /// the ones already stored (concurrent batches never share an index), updates the summaries and records the run's
    /// heartbeat (<see cref="Run.LastHeartbeatAt"/>).
    /// </summary>
    /// <returns>False, and nothing written, when the run is no longer running.</returns>
    Task<bool> AppendAsync(Guid runId, IReadOnlyList<NewMetricPoint> points, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Points with <paramref name="fromIndex"/> ≤ index &lt; <paramref name="toIndex"/>, in arrival order.</summary>
    Task<MetricColumns> ReadPointsAsync(long seriesId, long fromIndex, long toIndex, CancellationToken cancellationToken);
}
