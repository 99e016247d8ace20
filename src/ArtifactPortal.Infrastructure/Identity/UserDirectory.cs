using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>Core's view of Identity's user table.</summary>
internal sealed class UserDirectory(IDbContextFactory<PortalDbContext> dbFactory) : IUserDirectory
{
    // Identity's own normalizer (registered scoped, so not injectable here); the portal does not replace it.
    private static readonly UpperInvariantLookupNormalizer Normalizer = new();

    public async Task<UserSummary?> FindByUserNameOrEmailAsync(string userNameOrEmail, CancellationToken cancellationToken = default)
    {
        var name = Normalizer.NormalizeName(userNameOrEmail.Trim());
        var email = Normalizer.NormalizeEmail(userNameOrEmail.Trim());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // A user name that equals someone else's email is possible; the user name wins.
        return await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == name || u.NormalizedEmail == email)
            .OrderBy(u => u.NormalizedUserName == name ? 0 : 1)
            .Select(u => new UserSummary(u.Id, u.UserName ?? "", u.Email ?? ""))
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Compiled, like the access lookup: the artifact page shows its creator's name on every render.</summary>
    private static readonly CompiledQuery<Func<DbContext, string, CancellationToken, Task<UserSummary?>>> ActiveById = new(() =>
        EF.CompileAsyncQuery((DbContext db, string userId, CancellationToken cancellationToken) => db.Set<PortalUser>()
            .AsNoTracking()
            .Where(u => u.Id == userId && !u.IsDisabled)
            .Select(u => new UserSummary(u.Id, u.UserName ?? "", u.Email ?? ""))
            .FirstOrDefault()));

    public async Task<UserSummary?> FindActiveAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await ActiveById.For(db)(db, userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Compiled, like the access lookup: every API call made with a personal access token asks it, and as LINQ it evaluated
    /// the captured context per call.
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, string, CancellationToken, Task<ActiveAccount?>>> ActiveAccountById = new(() =>
        EF.CompileAsyncQuery((DbContext db, string userId, CancellationToken cancellationToken) => db.Set<PortalUser>()
            .AsNoTracking()
            .Where(u => u.Id == userId && !u.IsDisabled)
            .Select(u => new ActiveAccount(
                u.Id,
                u.UserName,
                u.Email,
                db.Set<IdentityUserRole<string>>().Where(r => r.UserId == u.Id).Join(db.Set<IdentityRole>(), ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList()))
            .FirstOrDefault()));

    private sealed record ActiveAccount(string Id, string? UserName, string? Email, List<string?> Roles);

    public async Task<AccountIdentity?> FindActiveIdentityAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var account = await ActiveAccountById.For(db)(db, userId, cancellationToken).ConfigureAwait(false);
        return account is null
            ? null
            : new AccountIdentity(account.Id, account.UserName ?? "", account.Email ?? "", [.. account.Roles.OfType<string>()]);
    }

    /// <summary>Compiled, like the access lookup: every version page and most lists show names through it.</summary>
    private static readonly CompiledQuery<Func<DbContext, string[], IAsyncEnumerable<UserSummary>>> ByIds = new(() =>
        EF.CompileAsyncQuery((DbContext db, string[] userIds) => db.Set<PortalUser>()
            .AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .Select(u => new UserSummary(u.Id, u.UserName ?? "", u.Email ?? ""))));

    public async Task<IReadOnlyDictionary<string, UserSummary>> GetAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<string, UserSummary>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await ByIds.For(db)(db, [.. userIds]).ToDictionaryAsync(u => u.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
