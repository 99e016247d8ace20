using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Runs;

/// <summary>
/// The runs list's filter and order as queries. Params are text (numbers as their JSON text), which no provider compares
/// as numbers portably, so param conditions and param sorts read the one key's values and decide in memory.
/// </summary>
internal static class RunQueries
{
    public static async Task<IQueryable<Run>> ApplyAsync(IPortalDbContext db, IQueryable<Run> runs, RunFilter filter, CancellationToken cancellationToken)
    {
        foreach (var condition in filter.Conditions.Where(c => c.Field != RunFilterField.Param))
        {
            runs = condition.Field switch
            {
                RunFilterField.Status => Status(runs, condition),
                RunFilterField.Name => condition.Operator == RunFilterOperator.Equal
                    ? runs.Where(r => r.Name == condition.Value)
                    : runs.Where(r => r.Name != condition.Value),
                RunFilterField.Tag => condition.Operator == RunFilterOperator.Equal
                    ? runs.Where(r => r.Tags.Any(t => t.Name == condition.Value))
                    : runs.Where(r => !r.Tags.Any(t => t.Name == condition.Value)),
                _ => runs.Where(Metric(db, condition)),
            };
        }

        foreach (var condition in filter.Conditions.Where(c => c.Field == RunFilterField.Param))
        {
            var values = await ParamValuesAsync(db, runs, condition.Key!, cancellationToken).ConfigureAwait(false);
            var matching = values.Where(v => RunFilter.Matches(condition, v.Value)).Select(v => v.RunId).ToList();
            runs = runs.Where(r => matching.Contains(r.Id));
        }

        return runs;
    }

    /// <summary>The ids of one page of <paramref name="runs"/> in <paramref name="sort"/> order; runs without the sort key come last.</summary>
    public static async Task<List<Guid>> PageAsync(IPortalDbContext db, IQueryable<Run> runs, RunSort sort, int skip, int take, CancellationToken cancellationToken)
    {
        if (sort.Field == RunSortField.Param)
        {
            var values = await ParamValuesAsync(db, runs, sort.Key!, cancellationToken).ConfigureAwait(false);
            var all = await runs.Select(r => new { r.Id, r.Number }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var byRun = values.ToDictionary(v => v.RunId, v => v.Value);
            var withValue = all.Where(r => byRun.ContainsKey(r.Id)).ToList();
            withValue.Sort((a, b) =>
            {
                var order = RunFilter.CompareParamValues(byRun[a.Id], byRun[b.Id]);
                return order != 0 ? (sort.Descending ? -order : order) : b.Number.CompareTo(a.Number);
            });
            return [.. withValue.Concat(all.Where(r => !byRun.ContainsKey(r.Id)).OrderByDescending(r => r.Number)).Skip(skip).Take(take).Select(r => r.Id)];
        }

        IOrderedQueryable<Run> ordered;
        switch (sort.Field)
        {
            case RunSortField.Name:
                ordered = sort.Descending ? runs.OrderByDescending(r => r.Name) : runs.OrderBy(r => r.Name);
                break;
            case RunSortField.Metric:
                var key = sort.Key!;
                // Providers disagree on where NULL sorts, so "has a value" orders first, then the value.
                var withMetric = runs.OrderBy(r => db.MetricSeries.Any(s => s.RunId == r.Id && s.Key == key && s.Last != null) ? 0 : 1);
                ordered = sort.Descending
                    ? withMetric.ThenByDescending(r => db.MetricSeries.Where(s => s.RunId == r.Id && s.Key == key).Select(s => s.Last).FirstOrDefault())
                    : withMetric.ThenBy(r => db.MetricSeries.Where(s => s.RunId == r.Id && s.Key == key).Select(s => s.Last).FirstOrDefault());
                break;
            default:
                // Numbers follow the start order and, unlike times, sort the same on every provider.
                return await (sort.Descending ? runs.OrderByDescending(r => r.Number) : runs.OrderBy(r => r.Number))
                    .Skip(skip).Take(take).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        return await ordered.ThenByDescending(r => r.Number).Skip(skip).Take(take).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IQueryable<Run> Status(IQueryable<Run> runs, RunFilterCondition condition)
    {
        var status = Enum.Parse<RunStatus>(condition.Value, ignoreCase: true);
        return condition.Operator == RunFilterOperator.Equal ? runs.Where(r => r.Status == status) : runs.Where(r => r.Status != status);
    }

    private static System.Linq.Expressions.Expression<Func<Run, bool>> Metric(IPortalDbContext db, RunFilterCondition condition)
    {
        var key = condition.Key!;
        var value = condition.Number!.Value;
        var series = db.MetricSeries.Where(s => s.Key == key);
        return condition.Operator switch
        {
            RunFilterOperator.Equal => r => series.Any(s => s.RunId == r.Id && s.Last == value),
            RunFilterOperator.NotEqual => r => series.Any(s => s.RunId == r.Id && s.Last != value),
            RunFilterOperator.Less => r => series.Any(s => s.RunId == r.Id && s.Last < value),
            RunFilterOperator.LessOrEqual => r => series.Any(s => s.RunId == r.Id && s.Last <= value),
            RunFilterOperator.Greater => r => series.Any(s => s.RunId == r.Id && s.Last > value),
            _ => r => series.Any(s => s.RunId == r.Id && s.Last >= value),
        };
    }

    private static async Task<List<(Guid RunId, string Value)>> ParamValuesAsync(
        IPortalDbContext db, IQueryable<Run> runs, string key, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id);
        var rows = await db.RunParams.AsNoTracking().Where(p => p.Key == key && ids.Contains(p.RunId)).Select(p => new { p.RunId, p.Value })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.RunId, r.Value))];
    }
}
