namespace ArtifactPortal.Core.Projects;

/// <summary>A site-wide group of people, such as "vision-team", that projects can add with one role.</summary>
public class Team
{
    public const int MaxNameLength = 64;

    public Guid Id { get; set; }

    /// <summary>Unique site-wide; same rules as a project slug.</summary>
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public List<TeamMember> Members { get; set; } = [];
}

public class TeamMember
{
    public Guid TeamId { get; set; }

    public required string UserId { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
