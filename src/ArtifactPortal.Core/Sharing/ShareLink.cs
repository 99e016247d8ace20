namespace ArtifactPortal.Core.Sharing;

/// <summary>A read-only link to one artifact version for people without an account; only the secret's hash is kept.</summary>
public class ShareLink
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public Guid ArtifactVersionId { get; set; }

    /// <summary>Lowercase hex SHA-256 of the secret in the link.</summary>
    public required string SecretHash { get; set; }

    /// <summary>What the link is for, as its creator described it ("for the reviewers at ACME").</summary>
    public string Note { get; set; } = "";

    public bool AllowDownload { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public int UseCount { get; set; }
}
