using System.Security.Claims;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Runs;

/// <summary>Metric batches of a run and the chart queries over them. Every method checks the caller's project permissions.</summary>
public sealed class MetricService(
    IPortalDbContextFactory dbFactory, ProjectAccessService projects, RunService runs, IMetricStore store, MetricSeriesCache cache, TimeProvider time)
{
    /// <summary>Validates and stores a batch; answers the number of points accepted (all or none).</summary>
    public async Task<int> LogAsync(
        ClaimsPrincipal user, string slug, int number, IReadOnlyList<NewMetricPoint> points, CancellationToken cancellationToken = default)
    {
        if (MetricValidation.BatchError(points) is { } error)
        {
            throw new PortalRequestException(error);
        }

        if (points.Count == 0)
        {
            // Nothing to store, but the call still proves the client is alive.
            await runs.GetWritableRunAsync(user, slug, number, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var runId = await runs.GetRunningRunIdAsync(user, slug, number, cancellationToken).ConfigureAwait(false);
        if (!await store.AppendAsync(runId, points, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            // Ended between the read and the write: answer as for an ended run.
            await runs.GetWritableRunAsync(user, slug, number, cancellationToken).ConfigureAwait(false);
        }

        return points.Count;
    }

    public async Task<IReadOnlyList<MetricSummary>> ListAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runId = await RunIdAsync(db, access.ProjectId, number, cancellationToken).ConfigureAwait(false);
        var summaries = await SummariesAsync(db, [runId], cancellationToken).ConfigureAwait(false);
        return summaries.GetValueOrDefault(runId, []);
    }

    /// <summary>The points of one key in a step range, downsampled to about <see cref="MetricRange.MaxPoints"/> unless that is 0.</summary>
    public async Task<MetricPoints> GetPointsAsync(
        ClaimsPrincipal user, string slug, int number, string key, MetricRange range, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runId = await RunIdAsync(db, access.ProjectId, number, cancellationToken).ConfigureAwait(false);
        var series = await db.MetricSeries.AsNoTracking().Where(s => s.RunId == runId && s.Key == key)
            .Select(s => new { s.Id, s.Count })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false) ?? throw new PortalNotFoundException($"Run {number} has no metric '{key}'.");
        return await PointsAsync(key, series.Id, series.Count, range, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The points of many series at once, for a page of charts: one permission check and one lookup of every series, then
    /// the series from the in-memory cache (the ones not there yet read side by side). Runs or keys that do not exist are left out.
    /// </summary>
    /// <param name="keys">Null: every key of the runs.</param>
    /// <returns>Ordered by run number, then key.</returns>
    public async Task<IReadOnlyList<RunMetricPoints>> GetSeriesForRunsAsync(
        ClaimsPrincipal user,
        string slug,
        IReadOnlyCollection<int> numbers,
        IReadOnlyCollection<string>? keys,
        MetricRange range,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        ArgumentNullException.ThrowIfNull(range);
        DemandValid(range);
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        if (numbers.Count == 0 || keys is { Count: 0 })
        {
            return [];
        }

        var wanted = numbers.Distinct().ToList();
        var wantedKeys = keys?.Distinct(StringComparer.Ordinal).ToList();
        List<SeriesRow> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var series = from s in db.MetricSeries.AsNoTracking()
                         join r in db.Runs.AsNoTracking() on s.RunId equals r.Id
                         where r.ProjectId == access.ProjectId && wanted.Contains(r.Number)
                         select new { r.Number, s.Id, s.Key, s.Count };
            if (wantedKeys is not null)
            {
                series = series.Where(s => wantedKeys.Contains(s.Key));
            }

            rows = [.. (await series.ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(s => new SeriesRow(s.Number, s.Id, s.Key, s.Count))
                .OrderBy(s => s.Number)
                .ThenBy(s => s.Key, StringComparer.Ordinal)];
        }

        var results = new RunMetricPoints[rows.Count];
        // Series not cached yet are read from the database concurrently; more readers than cores only queue up.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var row = rows[i];
                results[i] = new RunMetricPoints(row.Number, await PointsAsync(row.Key, row.SeriesId, row.Count, range, token).ConfigureAwait(false));
            }).ConfigureAwait(false);
        return results;
    }

    /// <summary>Runs of one project with their params and metric summaries, for comparing them; unknown numbers are left out.</summary>
    public async Task<IReadOnlyList<RunMetrics>> CompareAsync(
        ClaimsPrincipal user, string slug, IReadOnlyCollection<int> numbers, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runs = await db.Runs.AsNoTracking().Where(r => r.ProjectId == access.ProjectId && numbers.Contains(r.Number))
            .OrderBy(r => r.Number)
            .Select(r => new { r.Id, r.Number, r.Name, Params = r.Params.Select(p => new { p.Key, p.Value }).ToList() })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var summaries = await SummariesAsync(db, [.. runs.Select(r => r.Id)], cancellationToken).ConfigureAwait(false);
        return [.. runs.Select(r => new RunMetrics(
            r.Number, r.Name, r.Params.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), summaries.GetValueOrDefault(r.Id, [])))];
    }

    private static void DemandValid(MetricRange range)
    {
        if (range.MinStep > range.MaxStep)
        {
            throw new PortalRequestException("minStep: must not be greater than maxStep.");
        }
    }

    private async Task<MetricPoints> PointsAsync(string key, long seriesId, long count, MetricRange range, CancellationToken cancellationToken)
    {
        DemandValid(range);
        var columns = await cache.GetAsync(seriesId, count, cancellationToken).ConfigureAwait(false);
        var (start, end) = MetricDownsampler.Range(columns, range.MinStep, range.MaxStep);
        var maxPoints = Math.Clamp(range.MaxPoints, 0, MetricRange.MaxMaxPoints);
        var points = MetricDownsampler.Downsample(columns, start, end, maxPoints);
        return new MetricPoints(key, end - start, points.Count < end - start, points);
    }

    private static async Task<Dictionary<Guid, IReadOnlyList<MetricSummary>>> SummariesAsync(
        IPortalDbContext db, List<Guid> runIds, CancellationToken cancellationToken)
    {
        var rows = await db.MetricSeries.AsNoTracking().Where(s => runIds.Contains(s.RunId))
            .OrderBy(s => s.Key)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.GroupBy(s => s.RunId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<MetricSummary>)[.. g.Select(s => new MetricSummary(
                s.Key, s.Count, s.Last, s.LastStep, s.Min, s.Max, s.MinStep, s.MaxStep, s.UpdatedAt))]);
    }

    private static async Task<Guid> RunIdAsync(IPortalDbContext db, Guid projectId, int number, CancellationToken cancellationToken) =>
        await db.Runs.AsNoTracking().Where(r => r.ProjectId == projectId && r.Number == number).Select(r => (Guid?)r.Id)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false) ?? throw new PortalNotFoundException($"There is no run {number} in this project.");

    private sealed record SeriesRow(int Number, long SeriesId, string Key, long Count);
}
