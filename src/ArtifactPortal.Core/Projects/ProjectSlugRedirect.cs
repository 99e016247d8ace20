namespace ArtifactPortal.Core.Projects;

/// <summary>A slug the project had before; links that use it redirect to the current one.</summary>
public class ProjectSlugRedirect
{
    public required string OldSlug { get; set; }

    public Guid ProjectId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
