using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ArtifactPortal.Web.Api;

/// <summary>
/// The OpenAPI description of /api/v1 at <see cref="DocumentPath"/> and the interactive reference (Scalar) at
/// <see cref="ReferencePath"/>; both public, since they describe the API, not anyone's data.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddPortalApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // Only the REST API: the pages, Identity's form posts and the health check are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith(ApiEndpoints.Prefix.TrimStart('/'), StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ArtifactPortal API",
                    Version = DocumentName,
                    Description = "Artifacts, versions and staged uploads for training scripts and CI. Authenticate with a personal access token "
                        + "(Account settings → Access tokens) sent as `Authorization: Bearer apt_…`; the same project permissions apply as in the pages. "
                        + "Errors are RFC 7807 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "apt_…",
                    Description = "A personal access token with the read and/or write scope, optionally limited to some projects.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapPortalApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("ArtifactPortal API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName)
                .AddPreferredSecuritySchemes(BearerScheme)
                // The site's Content-Security-Policy allows scripts from 'self' plus this per-request nonce, and no other hosts.
                .WithNonce()
                .DisableDefaultFonts()
                .DisableTelemetry())
            .AllowAnonymous();
        return app;
    }
}
