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
        ProjectRole.Editor => "Also uploads artifacts and logs runs",
        ProjectRole.Maintainer => "Also manages members, links and settings",
        ProjectRole.Owner => "Also manages Owners, transfers and deletes",
        _ => "",
    };
}
