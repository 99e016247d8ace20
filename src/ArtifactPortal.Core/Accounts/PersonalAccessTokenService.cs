using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Accounts;

/// <param name="ExpiresInDays">Null: the token does not expire.</param>
/// <param name="ProjectIds">Empty: every project the owner may see.</param>
public sealed record NewPersonalAccessToken(string Name, TokenScopes Scopes, int? ExpiresInDays, IReadOnlyCollection<Guid> ProjectIds);

/// <summary>The new token: <see cref="Token"/> is the only copy of the secret and is never shown again.</summary>
public sealed record CreatedPersonalAccessToken(string Token, PersonalAccessTokenSummary Summary);

public sealed record TokenProject(Guid Id, string Name, string Slug);

/// <summary>One token as its owner sees it in the list.</summary>
public sealed record PersonalAccessTokenSummary(
    Guid Id,
    string Name,
    string DisplayPrefix,
    TokenScopes Scopes,
    IReadOnlyList<TokenProject> Projects,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A token that passed validation, with its owner; the authentication handler turns it into a principal.</summary>
public sealed record ValidatedPersonalAccessToken(Guid TokenId, string Name, AccountIdentity Owner, TokenScopes Scopes, IReadOnlyList<Guid> ProjectIds);

/// <summary>Personal access tokens: create (secret shown once), list and revoke one's own, and validate for the API.</summary>
public sealed class PersonalAccessTokenService(
    IPortalDbContextFactory dbFactory,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxExpiresInDays = 3650;

    /// <summary>Writing the last-used time on every call would turn a busy CI job into a stream of updates.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token for the caller. Tokens cannot mint tokens: only a signed-in person can.</summary>
    public async Task<Result<CreatedPersonalAccessToken>> CreateAsync(
        ClaimsPrincipal owner, NewPersonalAccessToken request, CancellationToken cancellationToken = default)
    {
        var userId = owner.UserId() ?? throw new PortalAccessDeniedException("Sign in to create an access token.");
        if (owner.IsPersonalAccessToken())
        {
            throw new PortalAccessDeniedException("An access token cannot create access tokens; sign in to the portal.");
        }

        return await CreateCoreAsync(owner, userId, owner, request, "", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a token for an account from the operator command line (<c>admin create-token</c>); the audit entry names
    /// the system as actor. Project restrictions are checked against the account's own access.
    /// </summary>
    public async Task<Result<CreatedPersonalAccessToken>> CreateByOperatorAsync(
        ClaimsPrincipal ownerPrincipal, NewPersonalAccessToken request, CancellationToken cancellationToken = default)
    {
        var userId = ownerPrincipal.UserId() ?? throw new ArgumentException("The owner has no user id.", nameof(ownerPrincipal));
        return await CreateCoreAsync(actor: null, userId, ownerPrincipal, request, "created by an operator on the command line; ", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The caller's tokens, active first, newest first.</summary>
    public async Task<IReadOnlyList<PersonalAccessTokenSummary>> ListMineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.UserId() ?? throw new PortalAccessDeniedException("Sign in to see your access tokens.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .Select(t => new
            {
                t.Id,
                t.Name,
                t.DisplayPrefix,
                t.Scopes,
                ProjectIds = t.Projects.Select(p => p.ProjectId).ToList(),
                t.CreatedAt,
                t.ExpiresAt,
                t.LastUsedAt,
                t.RevokedAt,
            })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var projectIds = rows.SelectMany(r => r.ProjectIds).Distinct().ToList();
        // Deleted projects keep their name here, so the owner still understands what the token was for.
        var projects = await db.Projects.IgnoreQueryFilters().AsNoTracking()
            .Where(p => projectIds.Contains(p.Id))
            .Select(p => new TokenProject(p.Id, p.Name, p.Slug))
            .ToDictionaryAsync(p => p.Id, cancellationToken)
            .ConfigureAwait(false);
        var now = time.GetUtcNow();
        return [.. rows
            .Select(r => new PersonalAccessTokenSummary(
                r.Id, r.Name, r.DisplayPrefix, r.Scopes,
                [.. r.ProjectIds.Where(projects.ContainsKey).Select(id => projects[id]).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)],
                r.CreatedAt, r.ExpiresAt, r.LastUsedAt, r.RevokedAt))
            .OrderByDescending(t => t.IsActiveAt(now))
            .ThenByDescending(t => t.CreatedAt)];
    }

    /// <summary>
    /// Revokes one of the caller's tokens; site administrators (signed in, not with a token) may revoke anyone's. Someone
    /// else's token reads as not found. Revoking a revoked token changes nothing.
    /// </summary>
    public async Task<Result<bool>> RevokeAsync(ClaimsPrincipal actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var userId = actor.UserId() ?? throw new PortalAccessDeniedException("Sign in to revoke an access token.");
        var isAdministrator = actor.IsSiteAdministrator() && !actor.IsPersonalAccessToken();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var token = await db.PersonalAccessTokens
            .FirstOrDefaultAsync(t => t.Id == tokenId && (t.UserId == userId || isAdministrator), cancellationToken)
            .ConfigureAwait(false);
        if (token is null)
        {
            return Result.Invalid<bool>("Token", "There is no such access token.");
        }

        if (token.RevokedAt is not null)
        {
            return Result.Success(true);
        }

        token.RevokedAt = time.GetUtcNow();
        audit.Record(db, actor, AuditActions.AccessTokenRevoked, projectId: null, Describe(token),
            token.UserId == userId ? "" : $"revoked by an administrator; owner id {token.UserId}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    /// <summary>
    /// The token with its projects, tracked (validation records its use). Compiled, like the access lookup: every API call
    /// made with a token runs it first.
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, string, CancellationToken, Task<PersonalAccessToken?>>> ByHash = new(() =>
        EF.CompileAsyncQuery((DbContext db, string hash, CancellationToken cancellationToken) =>
            db.Set<PersonalAccessToken>().Include(t => t.Projects).FirstOrDefault(t => t.SecretHash == hash)));

    /// <summary>
    /// The token's owner and limits when the token exists, is neither expired nor revoked and its owner's account is
    /// enabled; null otherwise. Records the last-used time at most once per <see cref="LastUsedResolution"/>.
    /// </summary>
    public async Task<ValidatedPersonalAccessToken?> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!PersonalAccessTokenFormat.IsWellFormed(token))
        {
            return null;
        }

        var hash = PersonalAccessTokenFormat.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await ByHash.For(db)((DbContext)db, hash, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (entity is null || entity.RevokedAt is not null || entity.ExpiresAt <= now)
        {
            return null;
        }

        var owner = await users.FindActiveIdentityAsync(entity.UserId, cancellationToken).ConfigureAwait(false);
        if (owner is null)
        {
            return null;
        }

        if (entity.LastUsedAt is null || now - entity.LastUsedAt >= LastUsedResolution)
        {
            entity.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return new ValidatedPersonalAccessToken(
            entity.Id, entity.Name, owner, entity.Scopes, [.. entity.Projects.Select(p => p.ProjectId)]);
    }

    private async Task<Result<CreatedPersonalAccessToken>> CreateCoreAsync(
        ClaimsPrincipal? actor, string userId, ClaimsPrincipal owner, NewPersonalAccessToken request, string detailsPrefix,
        CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var errors = new Dictionary<string, string>();
        if (name.Length is 0 or > PersonalAccessToken.MaxNameLength)
        {
            errors[nameof(NewPersonalAccessToken.Name)] = $"Give the token a name of 1–{PersonalAccessToken.MaxNameLength} characters, e.g. \"CI pipeline\".";
        }

        if (request.Scopes == TokenScopes.None || (request.Scopes & ~(TokenScopes.Read | TokenScopes.Write)) != 0)
        {
            errors[nameof(NewPersonalAccessToken.Scopes)] = "Choose read, write or both.";
        }

        if (request.ExpiresInDays is { } days && days is < 1 or > MaxExpiresInDays)
        {
            errors[nameof(NewPersonalAccessToken.ExpiresInDays)] = $"The expiry must be between 1 and {MaxExpiresInDays} days, or none.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var projectIds = request.ProjectIds.Distinct().ToList();
        var projects = await VisibleProjectsAsync(db, owner, userId, projectIds, cancellationToken).ConfigureAwait(false);
        if (projects.Count != projectIds.Count)
        {
            errors[nameof(NewPersonalAccessToken.ProjectIds)] = "A token can only be limited to projects you can see.";
        }

        if (errors.Count > 0)
        {
            return Result.Invalid<CreatedPersonalAccessToken>(errors);
        }

        var now = time.GetUtcNow();
        var (secret, hash, displayPrefix) = PersonalAccessTokenFormat.Create();
        var token = new PersonalAccessToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = name,
            DisplayPrefix = displayPrefix,
            SecretHash = hash,
            Scopes = request.Scopes,
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } d ? now.AddDays(d) : null,
        };
        token.Projects.AddRange(projects.Select(p => new PersonalAccessTokenProject { TokenId = token.Id, ProjectId = p.Id }));
        db.PersonalAccessTokens.Add(token);
        var details = detailsPrefix
            + $"scopes {string.Join(", ", TokenScopeNames.Of(token.Scopes))}; "
            + (token.ExpiresAt is { } e ? $"expires {e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "no expiry")
            + (projects.Count > 0 ? $"; projects {string.Join(", ", projects.Select(p => p.Slug))}" : "");
        var ownerName = owner.UserName();
        audit.Record(db, actor, AuditActions.AccessTokenCreated, projectId: null,
            actor is null ? $"{Describe(token)} of {ownerName}" : Describe(token), details);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(new CreatedPersonalAccessToken(secret, new PersonalAccessTokenSummary(
            token.Id, token.Name, token.DisplayPrefix, token.Scopes, projects, token.CreatedAt, token.ExpiresAt, null, null)));
    }

    /// <summary>The requested projects that <paramref name="owner"/> may view; missing or hidden ones are left out.</summary>
    private static async Task<List<TokenProject>> VisibleProjectsAsync(
        IPortalDbContext db, ClaimsPrincipal owner, string userId, List<Guid> projectIds, CancellationToken cancellationToken)
    {
        if (projectIds.Count == 0)
        {
            return [];
        }

        var candidates = await db.Projects.AsNoTracking()
            .Where(p => projectIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Slug, p.Visibility, p.ArchivedAt })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var visible = new List<TokenProject>();
        foreach (var p in candidates)
        {
            var role = await ProjectAccessService.EffectiveRoleAsync(db, p.Id, userId, cancellationToken).ConfigureAwait(false);
            if (ProjectPermissions.IsAllowed(ProjectOperation.View, role, p.Visibility, p.ArchivedAt is not null, owner.IsSiteAdministrator()))
            {
                visible.Add(new TokenProject(p.Id, p.Name, p.Slug));
            }
        }

        return [.. visible.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private static string Describe(PersonalAccessToken token) => $"token \"{token.Name}\" ({PersonalAccessTokenFormat.Prefix}{token.DisplayPrefix}…)";
}
