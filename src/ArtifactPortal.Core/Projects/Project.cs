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

    /// <summary>Set while the project is read-only.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>Soft delete: hidden everywhere, restorable by an administrator until the purge job removes it.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public string? DeletedByUserId { get; set; }

    /// <summary>Overrides Artifacts:DefaultProjectQuotaBytes for this project; null means the site default.</summary>
    public long? StorageQuotaBytes { get; set; }

    public bool IsArchived => ArchivedAt is not null;

    public List<ProjectMember> Members { get; set; } = [];

    public List<ProjectTeam> Teams { get; set; } = [];
}
