using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Web.Features.Projects;

/// <summary>Which roles the caller may hand out, for role pickers; the Core services enforce the same rule.</summary>
public static class ProjectRoles
{
    public static IReadOnlyList<ProjectRole> Assignable(ProjectAccess access) =>
        [.. Enum.GetValues<ProjectRole>().Where(r => r != ProjectRole.Owner || access.Can(ProjectOperation.ManageOwners))];

    /// <summary>One line per role, shown in pickers so people know what they grant.</summary>
    public static string Describe(ProjectRole role) => role switch
    {
        ProjectRole.Viewer => "Reads everything in the project",
        ProjectRole.Editor => "Reads, uploads artifacts and logs runs",
        ProjectRole.Maintainer => "Edits, manages members, share links and settings",
        ProjectRole.Owner => "Everything, including Owners and deleting the project",
        _ => "",
    };
}
