namespace ArtifactPortal.Core.Projects;

/// <summary>A person's role in one project; a higher value includes every right of the lower ones.</summary>
public enum ProjectRole
{
    Viewer = 1,
    Editor = 2,
    Maintainer = 3,
    Owner = 4,
}
