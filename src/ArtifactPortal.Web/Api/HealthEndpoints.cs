using System.Text.Json;
using ArtifactPortal.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArtifactPortal.Web.Api;

public static class HealthEndpoints
{
    public const string Path = "/healthz";
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";

    /// <summary>
    /// GET /healthz: every check. GET /healthz/live: the process answers (no dependency, for restarts). GET /healthz/ready:
    /// database reachable, migrations applied, blob store reachable (for load balancers). 503 when a check fails.
    /// </summary>
    public static WebApplication MapPortalHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync })
            .AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(InfrastructureServiceCollectionExtensions.ReadinessTag),
            ResponseWriter = WriteJsonAsync,
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToList(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                // Exception messages stay in the log: they can name hosts and file paths.
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
