using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Core.Accounts;

public static class AuthorizationServiceCollectionExtensions
{
    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.SiteAdministrator, p => p
                .RequireAuthenticatedUser()
                .RequireRole(PortalRoles.Administrator)
                // Site administration needs a real sign-in: a leaked token must not reach users, jobs or the site audit.
                .RequireAssertion(c => !c.User.IsPersonalAccessToken()))
            // Anonymous visitors only ever reach pages marked [AllowAnonymous]: the sign-in and registration pages.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }
}
