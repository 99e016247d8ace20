namespace ArtifactPortal.Core.Projects;

/// <summary>A person added to a project directly.</summary>
public sealed record ProjectMemberListItem(string UserId, string UserName, string Email, ProjectRole Role, DateTimeOffset AddedAt);

/// <summary>A team added to a project: each of its members has at least <see cref="Role"/>.</summary>
/// <param name="IncludesCaller">The person looking at the list is in the team.</param>
public sealed record ProjectTeamListItem(
    Guid TeamId, string Name, string Description, int MemberCount, ProjectRole Role, DateTimeOffset AddedAt, bool IncludesCaller);

/// <summary>Everyone with a role in a project, for the members page.</summary>
public sealed record ProjectPeople(IReadOnlyList<ProjectMemberListItem> Members, IReadOnlyList<ProjectTeamListItem> Teams);
