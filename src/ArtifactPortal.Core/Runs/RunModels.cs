namespace ArtifactPortal.Core.Runs;

public sealed record NewExperiment(string Name, string? Description = null);

public sealed record ExperimentSummary(Guid Id, string Name, string? Description, int RunCount, DateTimeOffset CreatedAt);

/// <summary>Where a run's code came from, as the client reports it.</summary>
public sealed record RunSource(string? Commit = null, string? EntryPoint = null, string? Host = null);

/// <param name="Experiment">Null: the project's <see cref="ExperimentService.DefaultName"/> experiment; created when missing.</param>
/// <param name="Params">Key → value text (numbers and booleans as their JSON text).</param>
public sealed record NewRun(
    string? Experiment = null,
    string? Name = null,
    IReadOnlyDictionary<string, string>? Params = null,
    IReadOnlyList<string>? Tags = null,
    string? Notes = null,
    RunSource? Source = null);

/// <summary>A PATCH of a run; null fields stay as they are.</summary>
/// <param name="Status">Finished, Failed or Killed end the run.</param>
/// <param name="Params">Added to the run; a key already set must keep its value.</param>
public sealed record RunChanges(
    RunStatus? Status = null,
    string? Name = null,
    string? Notes = null,
    IReadOnlyDictionary<string, string>? Params = null,
    IReadOnlyList<string>? AddTags = null,
    IReadOnlyList<string>? RemoveTags = null);

/// <param name="Filter">The filter language of <see cref="RunFilter"/>.</param>
/// <param name="Sort"><c>started</c>, <c>name</c>, <c>metrics.X</c> or <c>params.X</c>, <c>-</c> for descending; default <c>-started</c>.</param>
public sealed record RunQuery(
    string? Experiment = null, RunStatus? Status = null, string? Filter = null, string? Sort = null, int Page = 1, int PageSize = 50);

/// <summary>A metric key's summary, from the MetricSeries row the ingest keeps up to date.</summary>
public sealed record RunMetricSummary(string Key, long Count, double? Last, long? LastStep, double? Min, double? Max);

/// <summary>An artifact version a run consumed or produced.</summary>
public sealed record RunArtifactLink(Guid VersionId, string ProjectSlug, string ArtifactName, int VersionNumber, Artifacts.ArtifactType Type)
{
    public string Reference => Artifacts.ArtifactReference.For(ProjectSlug, ArtifactName, VersionNumber);
}

public sealed record RunDetails(
    Guid Id,
    string ProjectSlug,
    int Number,
    string Name,
    string Experiment,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset LastHeartbeatAt,
    string CreatedBy,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<string> Tags,
    string? Notes,
    RunSource Source,
    IReadOnlyList<RunMetricSummary> Metrics,
    IReadOnlyList<RunArtifactLink> Inputs,
    IReadOnlyList<RunArtifactLink> Outputs)
{
    /// <summary>Up to the end, or up to <paramref name="now"/> while running.</summary>
    public TimeSpan Duration(DateTimeOffset now) => (EndedAt ?? now) - StartedAt;

    public RunMetricSummary? Metric(string key) => Metrics.FirstOrDefault(m => m.Key == key);
}

public sealed record RunInputAdded(string Reference, Guid VersionId);

/// <summary>Param and metric keys of a project's runs, sorted.</summary>
public sealed record RunKeys(IReadOnlyList<string> Params, IReadOnlyList<string> Metrics);
