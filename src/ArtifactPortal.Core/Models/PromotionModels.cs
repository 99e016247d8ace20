using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Models;

public sealed record NewPromotionRequest(string Alias, int Version, string Justification);

public sealed record PromotionReviewInput(ReviewDecision Decision, string Comment);

/// <summary>One row of a request list (per project, or "My reviews" across projects).</summary>
public sealed record PromotionRequestSummary(
    string ProjectSlug,
    int Number,
    string Model,
    int Version,
    string Alias,
    PromotionStatus Status,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Approvals,
    int RequiredApprovals);

public sealed record PromotionRequestDetails(
    PromotionRequestSummary Summary,
    string Justification,
    int? CurrentHolderVersion,
    int? BaseVersion,
    bool VersionDeleted,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    IReadOnlyList<PromotionReviewView> Reviews,
    IReadOnlyList<PromotionCommentView> Comments,
    IReadOnlyList<PromotionCheckResult> Checks,
    PromotionPermissions Permissions);

public sealed record PromotionReviewView(string Reviewer, ReviewDecision Decision, string Comment, DateTimeOffset CreatedAt, bool Superseded);

public sealed record PromotionCommentView(string Author, string Body, DateTimeOffset CreatedAt);

/// <param name="Detail">What was measured, e.g. "accuracy = 0.93 (needs ≥ 0.9)".</param>
public sealed record PromotionCheckResult(string Description, bool Passed, string Detail);

/// <summary>What the caller may do on this request; the buttons follow it, the service enforces it again.</summary>
/// <param name="ReviewBlockedReason">Why the caller cannot review, e.g. "You requested this promotion."</param>
public sealed record PromotionPermissions(bool CanReview, string? ReviewBlockedReason, bool CanWithdraw, bool CanReopen, bool CanComment);

/// <summary>A protected alias and its policy, as shown on the project's settings page.</summary>
public sealed record ProtectedAliasPolicy(
    string Name,
    int RequiredApprovals,
    ProjectRole ReviewerRole,
    IReadOnlyList<string> ReviewerUserNames,
    IReadOnlyList<string> ReviewerTeams,
    IReadOnlyList<PromotionCheckSpec> Checks);

public sealed record PromotionCheckSpec(PromotionCheckKind Kind, string? MetricKey, double? Threshold)
{
    public string Describe() => Kind switch
    {
        PromotionCheckKind.MetricAtLeast => $"{MetricKey} ≥ {Threshold}",
        PromotionCheckKind.MetricAtMost => $"{MetricKey} ≤ {Threshold}",
        PromotionCheckKind.TrainingDataStatisticsSucceeded => "Statistics of the training data succeeded",
        _ => Kind.ToString(),
    };
}

/// <summary>One entry of a model's alias timeline.</summary>
public sealed record AliasChangeView(
    string Alias,
    int? Version,
    int? PreviousVersion,
    DateTimeOffset ChangedAt,
    string? ChangedBy,
    int? RequestNumber,
    string? OverrideReason);

/// <summary>A model's row on the models list: alias → version number, and the latest alias change (null when none).</summary>
public sealed record ModelAliasState(IReadOnlyDictionary<string, int> Aliases, AliasChangeView? LastChange);
