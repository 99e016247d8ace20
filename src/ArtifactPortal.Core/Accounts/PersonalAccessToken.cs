namespace ArtifactPortal.Core.Accounts;

/// <summary>
/// A token for the API and automation, owned by one person. Only the SHA-256 of the secret is stored; the token itself is
/// shown once, when it is created.
/// </summary>
public class PersonalAccessToken
{
    public const int MaxNameLength = 100;

    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters after "apt_", so that people can tell their tokens apart; not enough to guess the rest.</summary>
    public required string DisplayPrefix { get; set; }

    /// <summary>Lowercase hex SHA-256 of the whole token, "apt_" included.</summary>
    public required string SecretHash { get; set; }

    public TokenScopes Scopes { get; set; }

    /// <summary>Empty: every project the owner may see; otherwise only these.</summary>
    public List<PersonalAccessTokenProject> Projects { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>One project a restricted token may reach.</summary>
public class PersonalAccessTokenProject
{
    public Guid TokenId { get; set; }

    public Guid ProjectId { get; set; }
}
