namespace ArtifactPortal.Core.Projects;

/// <summary>
/// The permission matrix, written once: the lowest project role each operation needs. Pages, API endpoints and jobs all
/// ask <see cref="IsAllowed"/> (through ProjectAuthorizationHandler); the Help page renders <see cref="Matrix"/>.
/// </summary>
public static class ProjectPermissions
{
    private static readonly Dictionary<ProjectOperation, ProjectRole> MinimumRole = new()
    {
        [ProjectOperation.View] = ProjectRole.Viewer,
        [ProjectOperation.UploadArtifacts] = ProjectRole.Editor,
        [ProjectOperation.DeleteArtifactVersions] = ProjectRole.Maintainer,
        [ProjectOperation.LogRuns] = ProjectRole.Editor,
        [ProjectOperation.RequestPromotion] = ProjectRole.Editor,
        [ProjectOperation.ApprovePromotion] = ProjectRole.Maintainer,
        [ProjectOperation.ManageMembers] = ProjectRole.Maintainer,
        [ProjectOperation.ManageShareLinks] = ProjectRole.Maintainer,
        [ProjectOperation.EditSettings] = ProjectRole.Maintainer,
        [ProjectOperation.Archive] = ProjectRole.Maintainer,
        [ProjectOperation.ViewAuditLog] = ProjectRole.Maintainer,
        [ProjectOperation.ManageOwners] = ProjectRole.Owner,
        [ProjectOperation.TransferOwnership] = ProjectRole.Owner,
        [ProjectOperation.Delete] = ProjectRole.Owner,
    };

    // Operations that change nothing, or that undo the archive itself, stay possible in an archived (read-only) project.
    private static readonly HashSet<ProjectOperation> AllowedWhenArchived =
    [
        ProjectOperation.View,
        ProjectOperation.ViewAuditLog,
        ProjectOperation.Archive,
        ProjectOperation.ManageOwners,
        ProjectOperation.TransferOwnership,
        ProjectOperation.Delete,
    ];

    // Operations that change nothing: a personal access token with only the read scope may do these and no others.
    private static readonly HashSet<ProjectOperation> ReadOperations = [ProjectOperation.View, ProjectOperation.ViewAuditLog];

    public static bool IsReadOperation(ProjectOperation operation) => ReadOperations.Contains(operation);

    /// <summary>Rows of the matrix in declaration order, for the Help page and docs.</summary>
    public static IReadOnlyList<(ProjectOperation Operation, ProjectRole MinimumRole, bool AllowedWhenArchived)> Matrix { get; } =
        [.. Enum.GetValues<ProjectOperation>().Select(o => (o, MinimumRole[o], AllowedWhenArchived.Contains(o)))];

    /// <param name="role">The person's effective role, or null when they are not a member.</param>
    /// <param name="isSiteAdministrator">Site administrators may do everything.</param>
    public static bool IsAllowed(ProjectOperation operation, ProjectRole? role, ProjectVisibility visibility, bool isArchived, bool isSiteAdministrator)
    {
        if (isArchived && !AllowedWhenArchived.Contains(operation))
        {
            return false;
        }

        if (isSiteAdministrator)
        {
            return true;
        }

        // Every signed-in person reads an internal project as if they were a Viewer.
        var effective = role ?? (visibility == ProjectVisibility.Internal ? ProjectRole.Viewer : (ProjectRole?)null);
        return effective is { } r && r >= MinimumRole[operation];
    }
}
