namespace ArtifactPortal.Core.Projects;

/// <summary>
/// The project does not exist, or the caller may not know it does: both read the same everywhere (404), so an outsider
/// cannot learn that a private project exists.
/// </summary>
public sealed class ProjectNotFoundException(string slug) : Exception($"Project '{slug}' was not found.");
