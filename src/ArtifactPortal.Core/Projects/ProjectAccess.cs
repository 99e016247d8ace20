using ArtifactPortal.Core.Accounts;

namespace ArtifactPortal.Core.Projects;

/// <summary>What one person may do in one project: the resource that ProjectAuthorizationHandler judges.</summary>
/// <param name="Role">Effective role: the highest of the direct and team roles; null for non-members.</param>
public sealed record ProjectAccess(
    Guid ProjectId,
    string Slug,
    string Name,
    ProjectVisibility Visibility,
    bool IsArchived,
    ProjectRole? Role,
    bool IsSiteAdministrator,
    PersonalAccessTokenLimits? Token = null)
{
    /// <summary>The role matrix, and for a token caller also the token's scopes: a read-only token never writes.</summary>
    public bool Can(ProjectOperation operation) =>
        ProjectPermissions.IsAllowed(operation, Role, Visibility, IsArchived, IsSiteAdministrator)
        && (Token is null || Token.Allows(operation));

    /// <summary>
    /// For use cases handed an access a page already looked up: throws like <see cref="ProjectAccessService.DemandAsync"/>
    /// (not viewable → ProjectNotFoundException, not allowed → PortalAccessDeniedException).
    /// </summary>
    public ProjectAccess Demand(ProjectOperation operation) =>
        !Can(ProjectOperation.View) ? throw new ProjectNotFoundException(Slug)
        : Can(operation) ? this
        : throw new PortalAccessDeniedException(IsArchived ? "The project is archived (read-only)." : $"Your role in {Name} does not allow this.");
}
