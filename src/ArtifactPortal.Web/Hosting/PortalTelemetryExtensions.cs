using ArtifactPortal.Core.Common;
using Microsoft.Azure.SignalR;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ArtifactPortal.Web.Hosting;

public static class PortalTelemetryExtensions
{
    /// <summary>Endpoint of an OTLP collector (gRPC); OTEL_EXPORTER_OTLP_ENDPOINT works too. Nothing is exported without one.</summary>
    public const string OtlpEndpointKey = "OpenTelemetry:OtlpEndpoint";
    public const string StandardOtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AzureSignalRConnectionStringKey = "Azure:SignalR:ConnectionString";

    /// <summary>
    /// Metrics of ASP.NET Core, HttpClient, the runtime and the portal's own instruments (upload bytes, job durations),
    /// collected in process always; with an OTLP endpoint they are exported, together with traces of ASP.NET Core, EF Core,
    /// HttpClient and the jobs.
    /// </summary>
    public static WebApplicationBuilder AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OpenTelemetry:ServiceName"] ?? "artifactportal";
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(Program).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PortalTelemetry.MeterName));

        if (OtlpEndpoint(builder.Configuration) is { } endpoint)
        {
            otel.WithTracing(AddTraceSources).UseOtlpExporter(OtlpExportProtocol.Grpc, endpoint);
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration[StandardOtlpEndpointVariable]))
        {
            // The standard OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers) configure the exporter as a whole.
            otel.WithTracing(AddTraceSources).UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Traces are recorded only when they are exported: an unexported span per request and per SQL command costs
    /// allocations on every call for nothing.
    /// </summary>
    private static void AddTraceSources(TracerProviderBuilder tracing) => tracing
        .AddAspNetCoreInstrumentation(options =>
            // Probes every few seconds from each load balancer would drown the useful traces.
            options.Filter = context => !context.Request.Path.StartsWithSegments(Api.HealthEndpoints.Path, StringComparison.Ordinal))
        .AddHttpClientInstrumentation()
        .AddEntityFrameworkCoreInstrumentation()
        .AddSource(PortalTelemetry.JobsActivitySourceName);

    /// <summary>The endpoint in <see cref="OtlpEndpointKey"/>, or null when it is empty.</summary>
    public static Uri? OtlpEndpoint(IConfiguration configuration)
    {
        var value = configuration[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{OtlpEndpointKey} must be an absolute http(s) URL such as http://otel-collector:4317, not '{value}'.");
    }

    /// <summary>
    /// Optional Azure SignalR Service for the Blazor circuits: with a connection string, browsers keep their WebSocket to
    /// the service, which routes each circuit back to the node that holds it; the proxy no longer carries circuits.
    /// </summary>
    public static WebApplicationBuilder AddPortalAzureSignalR(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[AzureSignalRConnectionStringKey];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddSignalR().AddAzureSignalR(options =>
            {
                options.ConnectionString = connectionString;
                // A circuit's state lives in one node: the service must send a client back to the node that holds it.
                options.ServerStickyMode = ServerStickyMode.Required;
            });
        }

        return builder;
    }
}
