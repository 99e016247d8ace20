namespace ArtifactPortal.Core.Projects;

public enum AccessRequestStatus
{
    Pending = 0,
    Approved = 1,
    Denied = 2,
}

/// <summary>A signed-in person asks to join a private project they opened a link into.</summary>
public class AccessRequest
{
    public const int MaxMessageLength = 1000;

    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public required string UserId { get; set; }

    public string Message { get; set; } = "";

    public AccessRequestStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedByUserId { get; set; }

    /// <summary>The role given on approval.</summary>
    public ProjectRole? GrantedRole { get; set; }
}
