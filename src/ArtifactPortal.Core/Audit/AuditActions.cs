namespace ArtifactPortal.Core.Audit;

/// <summary>The audit action names; later features add theirs here.</summary>
public static class AuditActions
{
    public const string ProjectCreated = "project.created";
    public const string ProjectSettingsChanged = "project.settings_changed";
    public const string ProjectArchived = "project.archived";
    public const string ProjectUnarchived = "project.unarchived";
    public const string ProjectDeleted = "project.deleted";
    public const string ProjectRestored = "project.restored";
    public const string ProjectPurged = "project.purged";
    public const string OwnershipTransferred = "project.ownership_transferred";
    public const string MemberAdded = "member.added";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string TeamAdded = "team.added_to_project";
    public const string TeamRoleChanged = "team.role_changed";
    public const string TeamRemoved = "team.removed_from_project";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationRevoked = "invitation.revoked";
    public const string AccessRequested = "access_request.created";
    public const string AccessApproved = "access_request.approved";
    public const string AccessDenied = "access_request.denied";
    public const string TeamCreated = "team.created";
    public const string TeamDeleted = "team.deleted";
    public const string TeamMemberAdded = "team.member_added";
    public const string TeamMemberRemoved = "team.member_removed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserAdministratorGranted = "user.admin_granted";
    public const string UserAdministratorRevoked = "user.admin_revoked";
    public const string UserPasswordResetLinkCreated = "user.password_reset_link_created";
    public const string AccessTokenCreated = "access_token.created";
    public const string AccessTokenRevoked = "access_token.revoked";
    public const string ArtifactCreated = "artifact.created";
    public const string ArtifactEdited = "artifact.edited";
    public const string ArtifactVersionCreated = "artifact.version_created";
    public const string ArtifactVersionDeleted = "artifact.version_deleted";
    public const string ArtifactAliasSet = "artifact.alias_set";
    public const string ArtifactAliasRemoved = "artifact.alias_removed";
    public const string ShareLinkCreated = "share_link.created";
    public const string ShareLinkUsed = "share_link.used";
    public const string ShareLinkRevoked = "share_link.revoked";
    public const string BlobDamaged = "storage.blob_damaged";
    public const string ExperimentCreated = "experiment.created";
    public const string RunCreated = "run.created";
    public const string RunEnded = "run.ended";
}
