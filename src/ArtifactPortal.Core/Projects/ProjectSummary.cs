namespace ArtifactPortal.Core.Projects;

/// <summary>One row of a project list, with the viewer's own role.</summary>
public sealed record ProjectSummary(
    Guid Id,
    string Name,
    string Slug,
    string Description,
    ProjectVisibility Visibility,
    ProjectRole Role,
    int MemberCount,
    DateTimeOffset LastActivityAt);

public sealed record NewProject(string Name, string Slug, string Description, ProjectVisibility Visibility);
