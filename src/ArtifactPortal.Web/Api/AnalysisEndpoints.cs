using System.Security.Claims;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Web.Api;

public sealed record ApiAnalysisJob(
    AnalysisKind Kind, AnalysisStatus Status, double Progress, string? Error, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int Attempts);

/// <param name="Statistics">Null when <paramref name="Error"/> says why the file could not be read.</param>
public sealed record ApiFileStatistics(string Path, string? Error, DateTimeOffset ComputedAt, FileStatistics? Statistics);

public sealed record ApiVersionStatistics(
    string Artifact, int Version, IReadOnlyList<ApiAnalysisJob> Jobs, IReadOnlyList<string> TabularFiles, IReadOnlyList<ApiFileStatistics> Files);

/// <summary>/api/v1 endpoints for a version's background analysis: jobs, dataset statistics and their drift between versions.</summary>
public static class AnalysisEndpoints
{
    public static RouteGroupBuilder MapAnalysisEndpoints(this RouteGroupBuilder api)
    {
        var version = api.MapGroup("/projects/{slug}/artifacts/{name}/versions/{reference}").WithTags("Analysis");
        version.MapGet("/statistics", GetStatisticsAsync)
            .WithSummary("Get dataset statistics")
            .WithDescription("Per tabular file: rows, columns, schema, warnings and per-column statistics (type, nulls, distinct, min/max/mean/std, "
                + "quantiles, histogram or top values), or why the file could not be read; with the version's job states. Enums are strings.")
            .Produces<ApiVersionStatistics>();
        version.MapGet("/statistics/compare", CompareAsync)
            .WithSummary("Compare statistics with another version")
            .WithDescription("Drift of this version against the baseline named by 'with' (v2, 2 or an alias): row count change, per-column null % "
                + "change, mean shift and population stability index (PSI > 0.2 is significant). Files are matched by path, or the one table of each.")
            .Produces<StatisticsComparison>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        version.MapGet("/jobs", GetJobsAsync)
            .WithSummary("List analysis jobs")
            .WithDescription("The version's statistics and thumbnail jobs: Queued, Running (with progress 0..1), Succeeded or Failed with a reason.")
            .Produces<IReadOnlyList<ApiAnalysisJob>>();
        version.MapPost("/jobs/{kind}/rerun", RerunAsync)
            .WithSummary("Re-run an analysis job")
            .WithDescription("Queues the statistics or thumbnail job again (Editor and up, write token); its results replace the stored ones. "
                + "409 while that job is queued or running.")
            .Produces<ApiAnalysisJob>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> GetStatisticsAsync(
        ClaimsPrincipal user, string slug, string name, string reference, AnalysisService service, CancellationToken cancellationToken)
    {
        var result = await service.GetStatisticsAsync(user, slug, name, reference, cancellationToken);
        return Json(new ApiVersionStatistics(
            result.ArtifactName,
            result.VersionNumber,
            [.. result.Jobs.Select(ToApi)],
            result.TabularFiles,
            [.. result.Files.Select(f => new ApiFileStatistics(f.Path, f.Error, f.ComputedAt, f.Statistics))]));
    }

    private static async Task<IResult> CompareAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string? with, AnalysisService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(with))
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, "Name the version to compare with: ?with=v1.");
        }

        return Json(await service.CompareAsync(user, slug, name, reference, with.Trim(), cancellationToken));
    }

    private static async Task<IResult> GetJobsAsync(
        ClaimsPrincipal user, string slug, string name, string reference, AnalysisService service, CancellationToken cancellationToken) =>
        Json((await service.GetJobsAsync(user, slug, name, reference, cancellationToken)).Select(ToApi).ToList());

    private static async Task<IResult> RerunAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string kind, AnalysisService service, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<AnalysisKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, $"The job kind is one of {string.Join(", ", Enum.GetNames<AnalysisKind>())}.");
        }

        var job = await service.RerunAsync(user, slug, name, reference, parsed, cancellationToken);
        return Results.Json(ToApi(job), FileStatisticsJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static ApiAnalysisJob ToApi(AnalysisJobStatus j) => new(j.Kind, j.Status, j.Progress, j.Error, j.QueuedAt, j.StartedAt, j.FinishedAt, j.Attempts);

    /// <summary>Column types, job kinds and states as names, like the rest of the API's enums.</summary>
    private static IResult Json<T>(T value) => Results.Json(value, FileStatisticsJson.Options);
}
