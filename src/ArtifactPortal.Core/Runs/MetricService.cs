using System.Security.Claims;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Runs;

/// <summary>Metric batches of a run and the chart queries over them. Every method checks the caller's project permissions.</summary>
public sealed class MetricService(
    IPortalDbContextFactory dbFactory, ProjectAccessService projects, IMetricStore store, MetricSeriesCache cache, TimeProvider time)
{
    /// <summary>Validates and stores a batch; answers the number of points accepted (all or none).</summary>
    public async Task<int> LogAsync(
        ClaimsPrincipal user, string slug, int number, IReadOnlyList<NewMetricPoint> points, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.LogRuns, cancellationToken).ConfigureAwait(false);
        if (MetricValidation.BatchError(points) is { } error)
        {
            throw new RunRequestException(error);
        }

        var runId = await WritableRunAsync(access.ProjectId, number, cancellationToken).ConfigureAwait(false);
        if (points.Count > 0)
        {
            await store.AppendAsync(runId, points, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
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
            .ConfigureAwait(false) ?? throw new RunNotFoundException($"Run {number} has no metric '{key}'.");
        return await PointsAsync(key, series.Id, series.Count, range, cancellationToken).ConfigureAwait(false);
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

    private async Task<MetricPoints> PointsAsync(string key, long seriesId, long count, MetricRange range, CancellationToken cancellationToken)
    {
        if (range.MinStep > range.MaxStep)
        {
            throw new RunRequestException("minStep: must not be greater than maxStep.");
        }

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
            .ConfigureAwait(false) ?? throw new RunNotFoundException($"There is no run {number} in this project.");

    // TODO(#6): RunService.GetWritableRunAsync replaces this once the runs branch is merged.
    private async Task<Guid> WritableRunAsync(Guid projectId, int number, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Runs.AsNoTracking().Where(r => r.ProjectId == projectId && r.Number == number)
            .Select(r => new { r.Id, r.Status })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false) ?? throw new RunNotFoundException($"There is no run {number} in this project.");
        if (run.Status != RunStatus.Running)
        {
            throw new RunConflictException($"Run {number} is {run.Status.ToString().ToLowerInvariant()}; an ended run takes no more metrics.");
        }

        var now = time.GetUtcNow();
        await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.LastHeartbeatAt, now), cancellationToken)
            .ConfigureAwait(false);
        return run.Id;
    }
}
