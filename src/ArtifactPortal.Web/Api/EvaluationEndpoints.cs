using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Evaluations;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Web.Api;

/// <summary>/api/v1 endpoints for Evaluation artifacts: one version's metrics, and a model's versions compared by their evaluations.</summary>
public static class EvaluationEndpoints
{
    public static RouteGroupBuilder MapEvaluationEndpoints(this RouteGroupBuilder api)
    {
        var project = api.MapGroup("/projects/{slug}").WithTags("Evaluations");
        project.MapGet("/artifacts/{name}/versions/{reference}/evaluation", GetAsync)
            .WithSummary("Get evaluation metrics")
            .WithDescription("The metrics of an Evaluation artifact version, read from its .json files (nested objects flattened to dotted keys; "
                + "arrays and text skipped with a note) and .csv files (metric,value rows, one wide row, or a row per class such as "
                + $"class,precision,recall,f1 giving cat.precision). Files over {EvaluationService.MaxFileBytes / 1024} KiB or malformed are listed with "
                + "an error instead of metrics. 400 for an artifact that is not an Evaluation.")
            .Produces<EvaluationMetrics>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        project.MapGet("/models/{model}/evaluations", CompareAsync)
            .WithSummary("Compare evaluations across model versions")
            .WithDescription("For each version of a model (the newest " + EvaluationService.DefaultCompareVersions + ", or those listed in "
                + "?versions=3,4,5) the newest evaluation linked to it, through lineage (a run consumed the model version and produced the "
                + "evaluation) or the evaluation's metadata \"model\": \"project/model:vN\"; with the union of metric keys.")
            .Produces<ModelEvaluationComparison>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> GetAsync(
        ClaimsPrincipal user, string slug, string name, string reference, EvaluationService service, CancellationToken cancellationToken) =>
        Results.Json(await service.GetAsync(user, slug, name, reference, cancellationToken), FileStatisticsJson.Options);

    private static async Task<IResult> CompareAsync(
        ClaimsPrincipal user, string slug, string model, string? versions, EvaluationService service, CancellationToken cancellationToken)
    {
        var numbers = new List<int>();
        foreach (var part in (versions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part.TrimStart('v', 'V'), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return ApiErrors.Problem(StatusCodes.Status400BadRequest, $"'{part}' is not a version number; use ?versions=3,4,5.");
            }

            numbers.Add(number);
        }

        return Results.Json(await service.CompareModelVersionsAsync(user, slug, model, numbers, cancellationToken), FileStatisticsJson.Options);
    }
}
