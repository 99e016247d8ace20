namespace ArtifactPortal.Core.Projects;

/// <summary>Everything a person or token can do in a project; <see cref="ProjectPermissions"/> says who may.</summary>
public enum ProjectOperation
{
    View,
    UploadArtifacts,
    DeleteArtifactVersions,
    LogRuns,
    RequestPromotion,
    ApprovePromotion,
    ManageMembers,
    ManageShareLinks,
    EditSettings,
    Archive,
    ViewAuditLog,
    ManageOwners,
    TransferOwnership,
    Delete,
}
