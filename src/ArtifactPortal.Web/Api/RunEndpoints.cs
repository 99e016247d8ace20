using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Web.Api;

public sealed record ApiNewExperiment(string Name, string? Description);

public sealed record ApiExperiment(Guid Id, string Name, string? Description, int RunCount, DateTimeOffset CreatedAt);

public sealed record ApiItems<T>(IReadOnlyList<T> Items);

public sealed record ApiRunSource(string? Commit, string? EntryPoint, string? Host);

/// <param name="Params">Values are JSON strings, numbers or booleans; numbers and booleans are kept as their JSON text.</param>
public sealed record ApiNewRun(
    string? Experiment, string? Name, IReadOnlyDictionary<string, JsonElement>? Params, IReadOnlyList<string>? Tags, string? Notes, ApiRunSource? Source);

/// <param name="Status">finished, failed or killed: ends the run.</param>
public sealed record ApiRunChanges(
    string? Status,
    string? Name,
    string? Notes,
    IReadOnlyDictionary<string, JsonElement>? Params,
    IReadOnlyList<string>? AddTags,
    IReadOnlyList<string>? RemoveTags);

/// <summary>A metric key's summary; NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity".</summary>
public sealed record ApiRunMetric(
    string Key,
    long Count,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double? Last,
    long? LastStep,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double? Min,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double? Max);

public sealed record ApiRunArtifact(string Reference, string Type);

public sealed record ApiRun(
    Guid Id,
    int Number,
    string Name,
    string Experiment,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double DurationSeconds,
    string CreatedBy,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<string> Tags,
    string? Notes,
    ApiRunSource Source,
    IReadOnlyList<ApiRunMetric> Metrics,
    IReadOnlyList<ApiRunArtifact> Inputs,
    IReadOnlyList<ApiRunArtifact> Outputs,
    string Url);

public sealed record ApiRunInput(string Reference);

public sealed record ApiRunInputAdded(string Reference, Guid VersionId);

/// <summary>/api/v1 endpoints for experiments and runs (docs/runs-api.md); the metric endpoints live beside them.</summary>
public static class RunEndpoints
{
    public static RouteGroupBuilder MapRunEndpoints(this RouteGroupBuilder api)
    {
        var experiments = api.MapGroup("/projects/{slug}").WithTags("Experiments");
        experiments.MapPost("/experiments", CreateExperimentAsync)
            .WithSummary("Create an experiment")
            .WithDescription("A named group of runs. 409 when the project has an experiment with that name, ignoring case. Needs Editor and a write token.")
            .Produces<ApiExperiment>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        experiments.MapGet("/experiments", ListExperimentsAsync)
            .WithSummary("List experiments")
            .WithDescription("The project's experiments by name, with how many runs each holds.")
            .Produces<ApiItems<ApiExperiment>>();

        var runs = api.MapGroup("/projects/{slug}").WithTags("Runs");
        runs.MapPost("/runs", CreateRunAsync)
            .WithSummary("Start a run")
            .WithDescription("Creates a running run, numbered per project. Without experiment it goes to 'Default'; an experiment that does not exist yet is created. "
                + "The name defaults to run-{number}. 400 names the key that is too long.")
            .Produces<ApiRun>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        runs.MapGet("/runs", ListRunsAsync)
            .WithSummary("List runs")
            .WithDescription("Pages through the project's runs. filter: 'params.lr > 0.01 and metrics.val_acc >= 0.9 and tags = baseline' "
                + "(= != < <= > >= on params.X, metrics.X (last value), status, name, tags; joined by and). "
                + "sort: started, name, metrics.X or params.X, '-' for descending; default -started (newest first). 400 says where a filter goes wrong.")
            .Produces<ApiPage<ApiRun>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        runs.MapGet("/runs/{number:int}", GetRunAsync)
            .WithSummary("Get a run")
            .WithDescription("A run by its number, with params, tags, metric summaries, inputs and outputs.")
            .Produces<ApiRun>();
        runs.MapPatch("/runs/{number:int}", UpdateRunAsync)
            .WithSummary("Change a run")
            .WithDescription("status finished, failed or killed ends the run (an ended run cannot be re-opened: 409). Params are written once: "
                + "a key already set with another value answers 409, and so do new params for an ended run. Name, notes and tags can always change.")
            .Produces<ApiRun>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/runs/{number:int}/heartbeat", HeartbeatAsync)
            .WithSummary("Heartbeat")
            .WithDescription("Tells the portal the client is alive. A running run that sends nothing for Runs:HeartbeatTimeout (10 minutes) is marked killed. 409 when the run has ended.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/runs/{number:int}/inputs", AddInputAsync)
            .WithSummary("Record an input")
            .WithDescription("Records that the run used an artifact version (project/artifact:v3, project/artifact:latest; another project's version when you can see it). "
                + "Answers the exact version. 409 when the run has ended.")
            .Produces<ApiRunInputAdded>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static string PageUrl(string slug, int number) => $"/p/{Uri.EscapeDataString(slug)}/runs/{number}";

    private static string RunUrl(string slug, int number) => $"{ApiEndpoints.Prefix}/projects/{Uri.EscapeDataString(slug)}/runs/{number}";

    private static async Task<IResult> CreateExperimentAsync(
        ClaimsPrincipal user, string slug, ApiNewExperiment body, ExperimentService service, CancellationToken cancellationToken)
    {
        var created = await service.CreateAsync(user, slug, new NewExperiment(body.Name, body.Description), cancellationToken);
        return TypedResults.Created($"{ApiEndpoints.Prefix}/projects/{Uri.EscapeDataString(slug)}/experiments", ToApi(created));
    }

    private static async Task<ApiItems<ApiExperiment>> ListExperimentsAsync(
        ClaimsPrincipal user, string slug, ExperimentService service, CancellationToken cancellationToken) =>
        new([.. (await service.ListAsync(user, slug, cancellationToken)).Select(ToApi)]);

    private static async Task<IResult> CreateRunAsync(
        ClaimsPrincipal user, string slug, ApiNewRun body, RunService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var source = body.Source is null ? null : new RunSource(body.Source.Commit, body.Source.EntryPoint, body.Source.Host);
        var run = await service.CreateAsync(user, slug, new NewRun(body.Experiment, body.Name, Params(body.Params), body.Tags, body.Notes, source), cancellationToken);
        return TypedResults.Created(RunUrl(run.ProjectSlug, run.Number), ToApi(run, time));
    }

    private static async Task<ApiPage<ApiRun>> ListRunsAsync(
        ClaimsPrincipal user, string slug, RunService service, TimeProvider time, string? experiment, string? status, string? filter, string? sort,
        int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var query = new RunQuery(experiment, status is null ? null : Status(status), filter, sort, page ?? 1, pageSize ?? 50);
        var list = await service.ListAsync(user, slug, query, cancellationToken);
        return new ApiPage<ApiRun>([.. list.Items.Select(r => ToApi(r, time))], list.Total);
    }

    private static async Task<ApiRun> GetRunAsync(
        ClaimsPrincipal user, string slug, int number, RunService service, TimeProvider time, CancellationToken cancellationToken) =>
        ToApi(await service.GetAsync(user, slug, number, cancellationToken), time);

    private static async Task<ApiRun> UpdateRunAsync(
        ClaimsPrincipal user, string slug, int number, ApiRunChanges body, RunService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var changes = new RunChanges(
            body.Status is null ? null : Status(body.Status), body.Name, body.Notes, Params(body.Params), body.AddTags, body.RemoveTags);
        return ToApi(await service.UpdateAsync(user, slug, number, changes, cancellationToken), time);
    }

    private static async Task<IResult> HeartbeatAsync(ClaimsPrincipal user, string slug, int number, RunService service, CancellationToken cancellationToken)
    {
        await service.HeartbeatAsync(user, slug, number, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddInputAsync(
        ClaimsPrincipal user, string slug, int number, ApiRunInput body, RunService service, CancellationToken cancellationToken)
    {
        var added = await service.AddInputAsync(user, slug, number, body.Reference, cancellationToken);
        return TypedResults.Created($"{RunUrl(slug, number)}/inputs", new ApiRunInputAdded(added.Reference, added.VersionId));
    }

    private static RunStatus Status(string text) =>
        Enum.TryParse<RunStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(text, out _)
            ? status
            : throw new PortalRequestException($"status is running, finished, failed or killed, not '{text}'.");

    /// <summary>Strings as they are; numbers and booleans as their JSON text, so 0.01 stays "0.01".</summary>
    private static Dictionary<string, string>? Params(IReadOnlyDictionary<string, JsonElement>? values) =>
        values?.ToDictionary(p => p.Key, p => p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
            _ => throw new PortalRequestException($"Param '{p.Key}' must be a string, a number or a boolean."),
        }, StringComparer.Ordinal);

    private static ApiExperiment ToApi(ExperimentSummary e) => new(e.Id, e.Name, e.Description, e.RunCount, e.CreatedAt);

    private static ApiRun ToApi(RunDetails r, TimeProvider time) =>
        new(
            r.Id,
            r.Number,
            r.Name,
            r.Experiment,
            r.Status.ToString().ToLowerInvariant(),
            r.StartedAt,
            r.EndedAt,
            Math.Round(r.Duration(time.GetUtcNow()).TotalSeconds, 3),
            r.CreatedBy,
            r.Params,
            r.Tags,
            r.Notes,
            new ApiRunSource(r.Source.Commit, r.Source.EntryPoint, r.Source.Host),
            [.. r.Metrics.Select(m => new ApiRunMetric(m.Key, m.Count, m.Last, m.LastStep, m.Min, m.Max))],
            [.. r.Inputs.Select(l => new ApiRunArtifact(l.Reference, l.Type.ToString()))],
            [.. r.Outputs.Select(l => new ApiRunArtifact(l.Reference, l.Type.ToString()))],
            PageUrl(r.ProjectSlug, r.Number));
}
