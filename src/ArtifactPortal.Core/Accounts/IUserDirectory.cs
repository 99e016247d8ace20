namespace ArtifactPortal.Core.Accounts;

/// <summary>A person as others see them in member lists.</summary>
public sealed record UserSummary(string Id, string UserName, string Email);

/// <summary>An enabled account with its site roles: what a sign-in carries as claims.</summary>
public sealed record AccountIdentity(string Id, string UserName, string Email, IReadOnlyList<string> Roles);

/// <summary>
/// Finds people for Core use cases, which refer to users by id only; Infrastructure reads Identity's tables.
/// </summary>
public interface IUserDirectory
{
    /// <summary>The account whose user name or email is exactly <paramref name="userNameOrEmail"/>, ignoring case.</summary>
    Task<UserSummary?> FindByUserNameOrEmailAsync(string userNameOrEmail, CancellationToken cancellationToken = default);

    /// <summary>The account, or null when there is none or an administrator disabled it.</summary>
    Task<UserSummary?> FindActiveAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="FindActiveAsync"/>, with the account's site roles, in one query (every API call asks).</summary>
    Task<AccountIdentity?> FindActiveIdentityAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The accounts with these ids; ids without an account are left out.</summary>
    Task<IReadOnlyDictionary<string, UserSummary>> GetAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);
}
