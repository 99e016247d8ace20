using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Web.Features.Runs;

public enum RunColumnKind
{
    Param,
    MetricLast,
    MetricMin,
    MetricMax,
}

/// <summary>A user-chosen column of the runs table: one param, or the last, min or max of one metric.</summary>
public sealed record RunColumn(RunColumnKind Kind, string Key)
{
    /// <summary>Stable text for the column picker and the query string: <c>params.lr</c>, <c>metrics.loss:min</c>.</summary>
    public string Id => Kind switch
    {
        RunColumnKind.Param => $"params.{Key}",
        RunColumnKind.MetricLast => $"metrics.{Key}",
        RunColumnKind.MetricMin => $"metrics.{Key}:min",
        _ => $"metrics.{Key}:max",
    };

    public string Title => Kind switch
    {
        RunColumnKind.Param => Key,
        RunColumnKind.MetricLast => Key,
        RunColumnKind.MetricMin => $"{Key} (min)",
        _ => $"{Key} (max)",
    };

    public bool IsMetric => Kind != RunColumnKind.Param;

    /// <summary>The sort key of the runs list, when the column can be sorted by (the last value of a metric, a param).</summary>
    public string? SortKey => Kind switch
    {
        RunColumnKind.Param => $"params.{Key}",
        RunColumnKind.MetricLast => $"metrics.{Key}",
        _ => null,
    };

    public string Value(RunDetails run) => Kind switch
    {
        RunColumnKind.Param => run.Params.GetValueOrDefault(Key) ?? "–",
        RunColumnKind.MetricLast => RunDisplay.Value(run.Metric(Key)?.Last),
        RunColumnKind.MetricMin => RunDisplay.Value(run.Metric(Key)?.Min),
        _ => RunDisplay.Value(run.Metric(Key)?.Max),
    };

    /// <summary>Every column the project's keys allow: params, then metrics with last, min and max.</summary>
    public static IReadOnlyList<RunColumn> All(RunKeys keys) =>
        [
            .. keys.Params.Select(k => new RunColumn(RunColumnKind.Param, k)),
            .. keys.Metrics.SelectMany(k => new[]
            {
                new RunColumn(RunColumnKind.MetricLast, k), new RunColumn(RunColumnKind.MetricMin, k), new RunColumn(RunColumnKind.MetricMax, k),
            }),
        ];

    /// <summary>The columns shown before anyone chooses: the first few params and the last value of the first few metrics.</summary>
    public static IReadOnlyList<RunColumn> Defaults(RunKeys keys) =>
        [.. keys.Params.Take(3).Select(k => new RunColumn(RunColumnKind.Param, k)), .. keys.Metrics.Take(3).Select(k => new RunColumn(RunColumnKind.MetricLast, k))];
}
