namespace ArtifactPortal.Core.Projects;

/// <summary>One row of a project list, with the viewer's own role (null when they see it without being a member).</summary>
public sealed record ProjectSummary(
    Guid Id,
    string Name,
    string Slug,
    string Description,
    ProjectVisibility Visibility,
    ProjectRole? Role,
    int MemberCount,
    DateTimeOffset LastActivityAt,
    bool IsArchived = false);

public sealed record NewProject(string Name, string Slug, string Description, ProjectVisibility Visibility);

/// <summary>What the settings page edits.</summary>
public sealed record ProjectSettings(string Name, string Slug, string Description, ProjectVisibility Visibility);

public enum ProjectSort
{
    RecentActivity,
    Name,
}

/// <summary>The overview page of one project; <see cref="StorageQuotaBytes"/> is its own quota, null for the site default.</summary>
public sealed record ProjectOverview(
    ProjectAccess Access,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset? ArchivedAt,
    int MemberCount,
    int TeamCount,
    long? StorageQuotaBytes = null);

/// <summary>A soft-deleted project on the administrators' restore page.</summary>
public sealed record DeletedProject(
    Guid Id,
    string Name,
    string Slug,
    DateTimeOffset DeletedAt,
    string? DeletedBy,
    DateTimeOffset PurgeAfter,
    bool CanRestore);
