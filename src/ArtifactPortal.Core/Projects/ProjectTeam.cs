namespace ArtifactPortal.Core.Projects;

/// <summary>A team added to a project: every team member gets at least this role.</summary>
public class ProjectTeam
{
    public Guid ProjectId { get; set; }

    public Guid TeamId { get; set; }

    public ProjectRole Role { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
