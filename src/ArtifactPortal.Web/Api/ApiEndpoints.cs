using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;

namespace ArtifactPortal.Web.Api;

/// <summary>Who is calling, as the API sees them.</summary>
public sealed record ApiMe(string UserName, string? Email, bool IsAdministrator, ApiToken? Token);

/// <param name="Projects">Null: every project the owner may see.</param>
public sealed record ApiToken(Guid Id, string Name, IReadOnlyList<string> Scopes, IReadOnlyList<Guid>? Projects);

public sealed record ApiProject(
    Guid Id, string Name, string Slug, string Description, string Visibility, string? Role, bool IsArchived, DateTimeOffset LastActivityAt);

/// <summary>
/// /api/v1: the REST API for scripts and CI. Callers send a personal access token (<c>Authorization: Bearer apt_…</c>) or
/// the sign-in cookie; every endpoint asks the same Core services as the pages.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    /// <summary>Paths under here answer 401/403/404 as JSON problems, never with a redirect or an HTML page.</summary>
    public const string PathBase = "/api";

    public static WebApplication MapPortalApi(this WebApplication app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalAuthenticationSchemes.CookieOrToken })
            .DisableAntiforgery()
            .WithApiErrors()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/me", Me).WithTags("Account")
            .WithSummary("Who am I")
            .WithDescription("The caller's account and, for a token, its scopes and the projects it is limited to.");
        api.MapGet("/projects", ListProjectsAsync).WithTags("Projects")
            .WithSummary("List projects")
            .WithDescription("The projects the caller can see (and the token may reach), by name; search filters by name.");
        api.MapGet("/projects/{slug}", GetProjectAsync).WithTags("Projects")
            .WithSummary("Get a project")
            .WithDescription("One project by its URL name, with the caller's role.")
            .Produces<ApiProject>();
        api.MapArtifactEndpoints();
        api.MapModelEndpoints();
        api.MapWebhookEndpoints();
        api.MapRunEndpoints();
        api.MapAnalysisEndpoints();
        api.MapEvaluationEndpoints();
        api.MapLineageEndpoints();
        api.MapMetricEndpoints();
        return app;
    }

    public static bool IsApiPath(PathString path) => path.StartsWithSegments(PathBase, StringComparison.OrdinalIgnoreCase);

    private static ApiMe Me(ClaimsPrincipal user)
    {
        var token = PersonalAccessTokenLimits.For(user);
        return new ApiMe(
            user.UserName(),
            user.FindFirstValue(ClaimTypes.Email),
            user.IsSiteAdministrator(),
            token is null ? null : new ApiToken(token.TokenId, token.Name, TokenScopeNames.Of(token.Scopes), token.ProjectIds));
    }

    private static async Task<IReadOnlyList<ApiProject>> ListProjectsAsync(
        ClaimsPrincipal user, ProjectService projects, string? search, CancellationToken cancellationToken)
    {
        var visible = await projects.ListVisibleAsync(user, search, ProjectSort.Name, cancellationToken).ConfigureAwait(false);
        return [.. visible.Select(p => new ApiProject(
            p.Id, p.Name, p.Slug, p.Description, p.Visibility.ToString(), p.Role?.ToString(), p.IsArchived, p.LastActivityAt))];
    }

    private static async Task<IResult> GetProjectAsync(
        ClaimsPrincipal user, string slug, ProjectService projects, CancellationToken cancellationToken)
    {
        try
        {
            var overview = await projects.GetOverviewAsync(user, slug, cancellationToken).ConfigureAwait(false);
            var access = overview.Access;
            return TypedResults.Ok(new ApiProject(
                access.ProjectId, access.Name, access.Slug, overview.Description, access.Visibility.ToString(), access.Role?.ToString(),
                access.IsArchived, overview.LastActivityAt));
        }
        catch (ProjectNotFoundException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no project '{slug}' that you can see.");
        }
    }
}
