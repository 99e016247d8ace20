using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Components.Endpoints;

namespace ArtifactPortal.Web.Hosting;

/// <summary>
/// How many page renders (GET or form POST of a Razor component endpoint) a node runs at once; the others wait in line.
/// A server render builds its whole component tree in memory, so 200 at once spent the node's CPU on garbage collection:
/// version page at 200 connections, 2 cores, 103–105 req/s and 880 MB unlimited, 140–162 req/s and 500 MB with 4–16 at once.
/// The API, downloads, health checks and open circuits are not limited.
/// </summary>
public sealed class PageRenderLimitOptions
{
    public const string SectionName = "Pages";

    /// <summary>Renders at once per node; 0 turns the limit off.</summary>
    public int MaxConcurrentRenders { get; set; } = 4 * Environment.ProcessorCount;

    /// <summary>Requests that may wait for a render; one more is answered 503 with Retry-After.</summary>
    public int QueueLimit { get; set; } = 1000;
}

public static class PageRenderLimit
{
    /// <summary>Seconds a turned-away browser or client is asked to wait.</summary>
    public const int RetryAfterSeconds = 5;

    public static IServiceCollection AddPortalPageRenderLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(PageRenderLimitOptions.SectionName).Get<PageRenderLimitOptions>() ?? new();
        var limiter = new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, options.MaxConcurrentRenders),
            QueueLimit = Math.Max(0, options.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        return services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                options.MaxConcurrentRenders <= 0 || context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                    ? RateLimitPartition.GetNoLimiter("other")
                    : RateLimitPartition.GetConcurrencyLimiter("pages", _ => limiter));
            rateLimiter.OnRejected = async (rejected, cancellationToken) =>
            {
                // A body of its own, so that the status code pages do not render a page for it (and queue again).
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync($"The portal is busy. Try again in {RetryAfterSeconds} seconds.", cancellationToken);
            };
        });
    }
}
