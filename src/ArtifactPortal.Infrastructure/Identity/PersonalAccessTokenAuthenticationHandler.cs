using System.Security.Claims;
using System.Text.Encodings.Web;
using ArtifactPortal.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>
/// Signs in a request that carries <c>Authorization: Bearer apt_…</c> as the token's owner, with the owner's roles and the
/// token's scopes and projects as claims (<see cref="PortalClaimTypes"/>). Failures answer 401 with a JSON problem.
/// </summary>
public sealed class PersonalAccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PersonalAccessTokenService tokens,
    IOptions<IdentityOptions> identityOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string BearerPrefix = "Bearer ";

    /// <summary>The bearer token of the request, or null when it sends none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = BearerToken(Request);
        if (secret is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!PersonalAccessTokenFormat.IsWellFormed(secret))
        {
            return AuthenticateResult.Fail("The bearer token is not an ArtifactPortal access token (apt_…).");
        }

        var token = await tokens.ValidateAsync(secret, Context.RequestAborted).ConfigureAwait(false);
        if (token is null)
        {
            return AuthenticateResult.Fail("The access token is unknown, expired or revoked, or its account is disabled.");
        }

        // The same id, name, email and role claims a sign-in cookie carries (the portal keeps no other user or role
        // claims), built from the one query that validated the token, plus what limits the token.
        var claimTypes = identityOptions.Value.ClaimsIdentity;
        var owner = token.Owner;
        var identity = new ClaimsIdentity(Scheme.Name, claimTypes.UserNameClaimType, claimTypes.RoleClaimType);
        identity.AddClaim(new Claim(claimTypes.UserIdClaimType, owner.Id));
        identity.AddClaim(new Claim(claimTypes.UserNameClaimType, owner.UserName));
        if (owner.Email.Length > 0)
        {
            identity.AddClaim(new Claim(claimTypes.EmailClaimType, owner.Email));
        }

        identity.AddClaims(owner.Roles.Select(role => new Claim(claimTypes.RoleClaimType, role)));
        identity.AddClaims(PersonalAccessTokenLimits.Claims(token.TokenId, token.Name, token.Scopes, token.ProjectIds));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
        await WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "Send a personal access token as 'Authorization: Bearer apt_…'.").ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This access token may not do this.");

    /// <summary>An RFC 9457 problem body; also used for API requests that carry the sign-in cookie.</summary>
    public static Task WriteProblemAsync(HttpContext context, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
