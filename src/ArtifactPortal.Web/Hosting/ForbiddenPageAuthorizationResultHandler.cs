using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Endpoints;

namespace ArtifactPortal.Web.Hosting;

/// <summary>
/// A signed-in person who opens a page they may not see gets the portal's "no access" page in the usual layout, with
/// status 403, rather than a redirect to the Identity access-denied page. Everything else keeps the default handling.
/// </summary>
internal sealed class ForbiddenPageAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // Safe to let through only for Blazor pages: AuthorizeRouteView checks the page's [Authorize] again and renders
        // <Forbidden /> instead of the page (Routes.razor), and the Core services check the caller themselves.
        if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return next(context);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
