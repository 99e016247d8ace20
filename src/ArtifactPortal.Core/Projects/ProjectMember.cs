namespace ArtifactPortal.Core.Projects;

public class ProjectMember
{
    public Guid ProjectId { get; set; }

    public required string UserId { get; set; }

    public ProjectRole Role { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
