namespace ArtifactPortal.Core.Models;

public enum PromotionStatus
{
    Open,

    /// <summary>Approvals reached; the alias moved.</summary>
    Approved,

    Rejected,

    Withdrawn,

    /// <summary>Another request moved the alias first; the approvals no longer count and it must be re-reviewed.</summary>
    Stale,
}

/// <summary>"Move protected alias X of model M to version N", reviewed by people the alias's policy allows.</summary>
public class PromotionRequest
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    /// <summary>1, 2, … per project; the request's address (promotions/12).</summary>
    public int Number { get; set; }

    public Guid ArtifactId { get; set; }

    public Guid VersionId { get; set; }

    public required string AliasName { get; set; }

    /// <summary>The version holding the alias when the request was made or last re-opened; null if none did.</summary>
    public Guid? BaseVersionId { get; set; }

    public PromotionStatus Status { get; set; }

    public required string RequestedByUserId { get; set; }

    public required string Justification { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedByUserId { get; set; }

    public Guid ConcurrencyStamp { get; set; }

    public List<PromotionReview> Reviews { get; set; } = [];

    public List<PromotionComment> Comments { get; set; } = [];
}

public enum ReviewDecision
{
    Approve,
    Reject,
    RequestChanges,
}

public class PromotionReview
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public required string ReviewerUserId { get; set; }

    public ReviewDecision Decision { get; set; }

    public required string Comment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Reviews given before the request went stale and was re-opened no longer count.</summary>
    public bool Superseded { get; set; }
}

public class PromotionComment
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public required string AuthorUserId { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One move of an alias: the timeline on the model page. The previous holder of "production" shows as archived.</summary>
public class AliasChange
{
    public Guid Id { get; set; }

    public Guid ArtifactId { get; set; }

    public required string AliasName { get; set; }

    /// <summary>Null when the alias was removed.</summary>
    public Guid? VersionId { get; set; }

    public Guid? PreviousVersionId { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public string? ChangedByUserId { get; set; }

    public Guid? PromotionRequestId { get; set; }

    /// <summary>Set for an Owner's emergency override of a protected alias.</summary>
    public string? OverrideReason { get; set; }
}
