using System.Security.Claims;

namespace ArtifactPortal.Core.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The Identity user id, or null for anonymous callers.</summary>
    public static string? UserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string UserName(this ClaimsPrincipal principal) => principal.Identity?.Name ?? "anonymous";

    public static bool IsSiteAdministrator(this ClaimsPrincipal principal) => principal.IsInRole(PortalRoles.Administrator);

    /// <summary>The caller sent a personal access token rather than a sign-in cookie.</summary>
    public static bool IsPersonalAccessToken(this ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == PortalClaimTypes.TokenId);
}
