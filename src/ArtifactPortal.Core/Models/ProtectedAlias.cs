using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Models;

/// <summary>
/// An alias of a project's models that moves only through an approved promotion request (or an Owner's audited override),
/// with the policy that decides who approves and what must hold first.
/// </summary>
public class ProtectedAlias
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    /// <summary>Lower-case alias name, e.g. "production".</summary>
    public required string Name { get; set; }

    public int RequiredApprovals { get; set; } = 1;

    /// <summary>The least role that may approve when no named reviewers are listed.</summary>
    public ProjectRole ReviewerRole { get; set; } = ProjectRole.Maintainer;

    public List<ProtectedAliasReviewer> Reviewers { get; set; } = [];

    public List<PromotionCheck> Checks { get; set; } = [];
}

/// <summary>A named reviewer: a user or a team. When any are listed, only they may approve.</summary>
public class ProtectedAliasReviewer
{
    public Guid Id { get; set; }

    public Guid ProtectedAliasId { get; set; }

    public string? UserId { get; set; }

    public Guid? TeamId { get; set; }
}

public enum PromotionCheckKind
{
    /// <summary>An evaluation metric of the candidate (its run's metric, or an Evaluation artifact's value) ≥ threshold.</summary>
    MetricAtLeast,

    MetricAtMost,

    /// <summary>The statistics jobs of every dataset version the candidate's run consumed succeeded.</summary>
    TrainingDataStatisticsSucceeded,
}

/// <summary>A condition shown as pass/fail on every request for the alias; approval is refused while one fails.</summary>
public class PromotionCheck
{
    public Guid Id { get; set; }

    public Guid ProtectedAliasId { get; set; }

    public PromotionCheckKind Kind { get; set; }

    public string? MetricKey { get; set; }

    public double? Threshold { get; set; }
}
