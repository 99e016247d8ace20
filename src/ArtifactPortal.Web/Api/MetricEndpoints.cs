using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using ArtifactPortal.Core.Runs;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Web.Api;

/// <param name="Value">A number, or one of the strings "NaN", "Infinity", "-Infinity".</param>
/// <param name="Timestamp">Unix milliseconds; the arrival time when left out.</param>
public sealed record ApiMetricPoint(
    string? Key,
    long? Step,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double? Value,
    long? Timestamp = null);

public sealed record ApiMetricBatch(IReadOnlyList<ApiMetricPoint>? Points);

public sealed record ApiMetricsAccepted(int Accepted);

/// <param name="Last">The value at the highest step; null when that value is NaN or infinite.</param>
public sealed record ApiMetricSummary(string Key, long Count, double? Last, long? LastStep, double? Min, double? Max);

public sealed record ApiMetricList(IReadOnlyList<ApiMetricSummary> Items);

public sealed record ApiMetricSample(
    long Step, long Timestamp, [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Value);

/// <param name="Total">Points of the series in the step range.</param>
/// <param name="Downsampled">True when fewer than <paramref name="Total"/> points came back.</param>
public sealed record ApiMetricPoints(string Key, long Total, bool Downsampled, IReadOnlyList<ApiMetricSample> Points);

/// <summary>/api/v1 metric batches and chart queries of a run (docs/runs-api.md).</summary>
public static class MetricEndpoints
{
    public static RouteGroupBuilder MapMetricEndpoints(this RouteGroupBuilder api)
    {
        var metrics = api.MapGroup("/projects/{slug}/runs/{number:int}").WithTags("Metrics");
        metrics.MapPost("/metrics", LogAsync)
            .WithSummary("Log metric points")
            .WithDescription("Stores up to 1,000 points (key, step ≥ 0, value, optional Unix-millisecond timestamp) of a running run in one "
                + "transaction: all or none. Values are JSON numbers or the strings \"NaN\", \"Infinity\", \"-Infinity\"; duplicate and "
                + "out-of-order steps are kept. 409 when the run has ended. Needs Editor and a write token.")
            .Accepts<ApiMetricBatch>("application/json")
            .Produces<ApiMetricsAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        metrics.MapGet("/metrics", ListAsync)
            .WithSummary("List a run's metrics")
            .WithDescription("Every metric key of the run with its point count, last value (at the highest step), minimum and maximum.")
            .Produces<ApiMetricList>();
        metrics.MapGet("/metrics/{**key}", GetAsync)
            .WithSummary("Get a metric's points")
            .WithDescription("The points of one key between minStep and maxStep (inclusive), in step order. More than maxPoints (default 1,500) "
                + "are downsampled: each of equal step buckets keeps its lowest and highest value and its first NaN or infinity, so "
                + "peaks survive. maxPoints=0 returns every point. A key with '/' may be sent as is or encoded as %2F.")
            .Produces<ApiMetricPoints>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> LogAsync(
        ClaimsPrincipal user, string slug, int number, HttpRequest request, MetricService metrics, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return ApiErrors.Problem(StatusCodes.Status415UnsupportedMediaType, "Send the batch as application/json.");
        }

        ApiMetricBatch? batch;
        try
        {
            batch = await request.ReadFromJsonAsync<ApiMetricBatch>(json.Value.SerializerOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, BodyError(e.Path));
        }

        if (batch?.Points is not { } points)
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, "points: the batch needs a list of points.");
        }

        var accepted = new NewMetricPoint[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var missing = point is null ? "the point is empty" : point.Step is null ? "step is missing" : point.Value is null ? "value is missing" : null;
            if (missing is not null)
            {
                return ApiErrors.Problem(StatusCodes.Status400BadRequest, $"points[{i}]: {missing}.");
            }

            accepted[i] = new NewMetricPoint(point!.Key ?? "", point.Step!.Value, point.Value!.Value, point.Timestamp);
        }

        return TypedResults.Ok(new ApiMetricsAccepted(await metrics.LogAsync(user, slug, number, accepted, cancellationToken)));
    }

    private static async Task<ApiMetricList> ListAsync(
        ClaimsPrincipal user, string slug, int number, MetricService metrics, CancellationToken cancellationToken)
    {
        var summaries = await metrics.ListAsync(user, slug, number, cancellationToken);
        return new ApiMetricList([.. summaries.Select(s => new ApiMetricSummary(s.Key, s.Count, s.Last, s.LastStep, s.Min, s.Max))]);
    }

    private static async Task<ApiMetricPoints> GetAsync(
        ClaimsPrincipal user, string slug, int number, string key, long? minStep, long? maxStep, int? maxPoints, MetricService metrics,
        CancellationToken cancellationToken)
    {
        // The server keeps %2F encoded in paths; a key like "train/loss" may arrive either way.
        var name = key.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var points = await metrics.GetPointsAsync(
            user, slug, number, name, new MetricRange(minStep, maxStep, maxPoints ?? MetricRange.DefaultMaxPoints), cancellationToken);
        return new ApiMetricPoints(points.Key, points.Total, points.Downsampled, [.. points.Points.Select(p => new ApiMetricSample(p.Step, p.TimestampMs, p.Value))]);
    }

    private static string BodyError(string? path)
    {
        var where = path is null ? "the body" : path.TrimStart('$', '.');
        var expected = where.EndsWith(".value", StringComparison.Ordinal) ? "values are numbers or the strings \"NaN\", \"Infinity\" and \"-Infinity\""
            : where.EndsWith(".step", StringComparison.Ordinal) ? "steps are whole numbers ≥ 0"
            : where.EndsWith(".timestamp", StringComparison.Ordinal) ? "timestamps are whole Unix milliseconds"
            : "the body is not valid JSON for a metric batch { \"points\": [ { \"key\", \"step\", \"value\", \"timestamp\"? } ] }";
        return $"{where}: {expected}.";
    }
}
