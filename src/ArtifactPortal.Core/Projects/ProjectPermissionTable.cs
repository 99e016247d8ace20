using System.Text;

namespace ArtifactPortal.Core.Projects;

/// <summary>One row of the permission matrix as people read it: who may do what.</summary>
/// <param name="Allowed">Viewer, Editor, Maintainer, Owner, site administrator, in that order.</param>
public sealed record PermissionRow(ProjectOperation Operation, string Label, string Description, IReadOnlyList<bool> Allowed, bool AllowedWhenArchived);

/// <summary>
/// <see cref="ProjectPermissions"/> turned into a table for the Help page and docs/permissions.md. Every cell asks
/// <see cref="ProjectPermissions.IsAllowed"/>, so the table cannot drift from the rules.
/// </summary>
public static class ProjectPermissionTable
{
    public static IReadOnlyList<string> Columns { get; } = ["Viewer", "Editor", "Maintainer", "Owner", "Site admin"];

    public static IReadOnlyList<PermissionRow> Rows { get; } =
        [.. ProjectPermissions.Matrix.Select(row => new PermissionRow(
            row.Operation,
            Label(row.Operation),
            Description(row.Operation),
            [
                .. Enum.GetValues<ProjectRole>().Select(role =>
                    ProjectPermissions.IsAllowed(row.Operation, role, ProjectVisibility.Private, isArchived: false, isSiteAdministrator: false)),
                ProjectPermissions.IsAllowed(row.Operation, null, ProjectVisibility.Private, isArchived: false, isSiteAdministrator: true),
            ],
            ProjectPermissions.IsAllowed(row.Operation, null, ProjectVisibility.Private, isArchived: true, isSiteAdministrator: true)))];

    /// <summary>The table in GitHub Markdown, as docs/permissions.md holds it.</summary>
    public static string ToMarkdown()
    {
        var markdown = new StringBuilder();
        markdown.Append("| Operation | ").AppendJoin(" | ", Columns).Append(" | Allowed when archived |\n");
        markdown.Append("|---|").Append(string.Concat(Enumerable.Repeat(":---:|", Columns.Count + 1))).Append('\n');
        foreach (var row in Rows)
        {
            markdown.Append("| ").Append(row.Label).Append(" | ")
                .AppendJoin(" | ", row.Allowed.Select(Mark)).Append(" | ").Append(Mark(row.AllowedWhenArchived)).Append(" |\n");
        }

        return markdown.ToString();
    }

    private static string Mark(bool allowed) => allowed ? "✓" : "—";

    private static string Label(ProjectOperation operation) => operation switch
    {
        ProjectOperation.View => "View the project",
        ProjectOperation.UploadArtifacts => "Upload artifacts",
        ProjectOperation.DeleteArtifactVersions => "Delete artifact versions",
        ProjectOperation.LogRuns => "Log runs",
        ProjectOperation.RequestPromotion => "Request model promotions",
        ProjectOperation.ApprovePromotion => "Approve model promotions",
        ProjectOperation.ManageMembers => "Manage members below Owner",
        ProjectOperation.ManageShareLinks => "Manage external share links",
        ProjectOperation.EditSettings => "Edit settings",
        ProjectOperation.Archive => "Archive and unarchive",
        ProjectOperation.ViewAuditLog => "Read the audit log",
        ProjectOperation.ManageOwners => "Manage Owners",
        ProjectOperation.TransferOwnership => "Transfer ownership",
        ProjectOperation.Delete => "Delete the project",
        _ => operation.ToString(),
    };

    private static string Description(ProjectOperation operation) => operation switch
    {
        ProjectOperation.View => "See everything in the project: artifacts, runs, models, members.",
        ProjectOperation.UploadArtifacts => "Add datasets, models and other files, new versions of them, and move their aliases.",
        ProjectOperation.DeleteArtifactVersions => "Delete a version with a reason; its files go when no other version uses them.",
        ProjectOperation.LogRuns => "Record training and evaluation runs with their metrics.",
        ProjectOperation.RequestPromotion => "Ask for a model version to move to the next stage.",
        ProjectOperation.ApprovePromotion => "Approve or reject promotion requests.",
        ProjectOperation.ManageMembers => "Add people and teams, change roles up to Maintainer, remove, answer access requests.",
        ProjectOperation.ManageShareLinks => "Create and revoke read-only links for people without an account.",
        ProjectOperation.EditSettings => "Change the name, URL name, description and visibility, the protected aliases' policies and the webhooks.",
        ProjectOperation.Archive => "Make the project read-only, and undo that.",
        ProjectOperation.ViewAuditLog => "See who changed what, and export it as CSV.",
        ProjectOperation.ManageOwners => "Make people Owners or remove Owners; a project keeps at least one.",
        ProjectOperation.TransferOwnership => "Hand the project to another person.",
        ProjectOperation.Delete => "Delete the project; an administrator can restore it for 30 days.",
        _ => "",
    };
}
