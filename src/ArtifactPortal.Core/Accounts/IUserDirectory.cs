namespace ArtifactPortal.Core.Accounts;

/// <summary>A person as others see them in member lists.</summary>
public sealed record UserSummary(string Id, string UserName, string Email);

/// <summary>
/// Finds people for Core use cases, which refer to users by id only; Infrastructure reads Identity's tables.
/// </summary>
public interface IUserDirectory
{
    /// <summary>The account whose user name or email is exactly <paramref name="userNameOrEmail"/>, ignoring case.</summary>
    Task<UserSummary?> FindByUserNameOrEmailAsync(string userNameOrEmail, CancellationToken cancellationToken = default);

    /// <summary>The account, or null when there is none or an administrator disabled it.</summary>
    Task<UserSummary?> FindActiveAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The accounts with these ids; ids without an account are left out.</summary>
    Task<IReadOnlyDictionary<string, UserSummary>> GetAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);
}
