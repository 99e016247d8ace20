namespace ArtifactPortal.Core.Projects;

/// <summary>
/// An invite link for someone who may not have an account yet. Only the SHA-256 of the token is stored; the link is
/// shown once to the inviter. One use, expires after <see cref="Lifetime"/>.
/// </summary>
public class ProjectInvitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    /// <summary>Where the link was emailed, if anywhere.</summary>
    public string? Email { get; set; }

    public ProjectRole Role { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token in the link.</summary>
    public required string TokenHash { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public string? AcceptedByUserId { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
