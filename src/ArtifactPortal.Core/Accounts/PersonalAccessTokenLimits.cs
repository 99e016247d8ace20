using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Accounts;

/// <summary>Claim types the token authentication handler adds; a principal with <see cref="TokenId"/> came from a token.</summary>
public static class PortalClaimTypes
{
    public const string TokenId = "artifactportal:token_id";
    public const string TokenName = "artifactportal:token_name";
    public const string TokenScope = "artifactportal:token_scope";
    public const string TokenProject = "artifactportal:token_project";
}

/// <summary>
/// What a caller that signed in with a personal access token is limited to, on top of the owner's own permissions.
/// Null for callers with a sign-in cookie.
/// </summary>
/// <param name="ProjectIds">Null: every project the owner may see.</param>
public sealed record PersonalAccessTokenLimits(Guid TokenId, string Name, TokenScopes Scopes, IReadOnlyList<Guid>? ProjectIds)
{
    public static PersonalAccessTokenLimits? For(ClaimsPrincipal principal)
    {
        var tokenId = principal.FindFirstValue(PortalClaimTypes.TokenId);
        if (tokenId is null)
        {
            return null;
        }

        // Anything unreadable counts as no scope and no project: a malformed token principal may do nothing.
        var scopes = TokenScopes.None;
        foreach (var claim in principal.FindAll(PortalClaimTypes.TokenScope))
        {
            scopes |= claim.Value switch
            {
                TokenScopeNames.Read => TokenScopes.Read,
                TokenScopeNames.Write => TokenScopes.Write,
                _ => TokenScopes.None,
            };
        }

        var projectClaims = principal.FindAll(PortalClaimTypes.TokenProject).ToList();
        IReadOnlyList<Guid>? projects = projectClaims.Count == 0
            ? null
            : [.. projectClaims.Select(c => Guid.TryParse(c.Value, CultureInfo.InvariantCulture, out var id) ? id : Guid.Empty)];
        return new PersonalAccessTokenLimits(
            Guid.TryParse(tokenId, CultureInfo.InvariantCulture, out var id) ? id : Guid.Empty,
            principal.FindFirstValue(PortalClaimTypes.TokenName) ?? "",
            scopes,
            projects);
    }

    /// <summary>The claims that describe a token, for the authentication handler.</summary>
    public static IEnumerable<Claim> Claims(Guid tokenId, string name, TokenScopes scopes, IReadOnlyCollection<Guid> projectIds) =>
    [
        new(PortalClaimTypes.TokenId, tokenId.ToString()),
        new(PortalClaimTypes.TokenName, name),
        .. TokenScopeNames.Of(scopes).Select(s => new Claim(PortalClaimTypes.TokenScope, s)),
        .. projectIds.Select(p => new Claim(PortalClaimTypes.TokenProject, p.ToString())),
    ];

    /// <summary>Read operations need the read or the write scope; everything else needs write.</summary>
    public bool Allows(ProjectOperation operation) =>
        ProjectPermissions.IsReadOperation(operation)
            ? (Scopes & (TokenScopes.Read | TokenScopes.Write)) != 0
            : Scopes.HasFlag(TokenScopes.Write);

    public bool AllowsProject(Guid projectId) => ProjectIds is null || ProjectIds.Contains(projectId);
}
