namespace ArtifactPortal.Core.Projects;

public enum ProjectVisibility
{
    /// <summary>Only members see the project.</summary>
    Private = 0,

    /// <summary>Every signed-in user may view the project.</summary>
    Internal = 1,
}
