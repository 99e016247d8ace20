namespace ArtifactPortal.Core.Projects;

public class Project
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>URL segment, unique site-wide.</summary>
    public required string Slug { get; set; }

    /// <summary>Markdown.</summary>
    public string Description { get; set; } = "";

    public ProjectVisibility Visibility { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last time anything in the project changed; the home page sorts by it.</summary>
    public DateTimeOffset LastActivityAt { get; set; }

    public List<ProjectMember> Members { get; set; } = [];
}
