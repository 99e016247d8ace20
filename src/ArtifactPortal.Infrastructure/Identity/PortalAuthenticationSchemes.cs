using Microsoft.AspNetCore.Identity;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>
/// The sign-in cookie stays the default for pages. Endpoints that also take personal access tokens name
/// <see cref="CookieOrToken"/>: <c>RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = CookieOrToken })</c>.
/// </summary>
public static class PortalAuthenticationSchemes
{
    public static readonly string Cookie = IdentityConstants.ApplicationScheme;

    /// <summary><c>Authorization: Bearer apt_…</c>.</summary>
    public const string PersonalAccessToken = nameof(PersonalAccessToken);

    /// <summary>A policy scheme: the token handler when the request carries a bearer token, else the sign-in cookie.</summary>
    public const string CookieOrToken = nameof(CookieOrToken);
}
