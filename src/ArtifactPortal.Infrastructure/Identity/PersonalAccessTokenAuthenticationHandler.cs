using System.Security.Claims;
using System.Text.Encodings.Web;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
    UserManager<PortalUser> users,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IDbContextFactory<PortalDbContext> dbFactory,
    TokenPrincipalCache cache,
    TimeProvider time)
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

        // The fast path: one query for the token's and its owner's current state, the claims from the cache.
        var hash = PersonalAccessTokenFormat.Hash(secret);
        var state = await StateAsync(hash).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (state is null || state.RevokedAt is not null || state.ExpiresAt <= now || state.IsDisabled)
        {
            return Unknown();
        }

        if (state.LastUsedAt is { } used && now - used < PersonalAccessTokenService.LastUsedResolution
            && cache.Find(state.TokenId, state.ConcurrencyStamp, state.SecurityStamp) is { } cached)
        {
            return Success(cached);
        }

        var token = await tokens.ValidateAsync(secret, Context.RequestAborted).ConfigureAwait(false);
        var user = token is null ? null : await users.FindByIdAsync(token.UserId).ConfigureAwait(false);
        if (token is null || user is null || user.IsDisabled)
        {
            return Unknown();
        }

        // The same name, id, email and role claims a sign-in cookie carries, plus what limits the token.
        var cookieLike = await claimsFactory.CreateAsync(user).ConfigureAwait(false);
        List<Claim> claims = [.. cookieLike.Claims, .. PersonalAccessTokenLimits.Claims(token.TokenId, token.Name, token.Scopes, token.ProjectIds)];
        // Stamps read before the claims were built: a change in between only makes the next call rebuild them.
        cache.Store(state.TokenId, state.ConcurrencyStamp, state.SecurityStamp, claims);
        return Success(claims);
    }

    private AuthenticateResult Success(IEnumerable<Claim> claims) => AuthenticateResult.Success(new AuthenticationTicket(
        new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimsIdentity.DefaultNameClaimType, ClaimsIdentity.DefaultRoleClaimType)),
        Scheme.Name));

    private static AuthenticateResult Unknown() =>
        AuthenticateResult.Fail("The access token is unknown, expired or revoked, or its account is disabled.");

    private async Task<TokenState?> StateAsync(string hash)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted).ConfigureAwait(false);
        return await (from t in db.PersonalAccessTokens.AsNoTracking()
                      join u in db.Users.AsNoTracking() on t.UserId equals u.Id
                      where t.SecretHash == hash
                      select new TokenState(t.Id, t.RevokedAt, t.ExpiresAt, t.LastUsedAt, u.IsDisabled, u.ConcurrencyStamp, u.SecurityStamp))
            .FirstOrDefaultAsync(Context.RequestAborted)
            .ConfigureAwait(false);
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

    private sealed record TokenState(
        Guid TokenId, DateTimeOffset? RevokedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool IsDisabled,
        string? ConcurrencyStamp, string? SecurityStamp);
}
