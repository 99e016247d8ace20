namespace ArtifactPortal.Core.Audit;

/// <summary>One append-only audit record. Names are copied in, so the entry still reads well after renames and deletions.</summary>
public class AuditEntry
{
    public const int MaxActionLength = 64;
    public const int MaxTextLength = 400;

    public Guid Id { get; set; }

    /// <summary>Null for site-wide events (accounts, teams).</summary>
    public Guid? ProjectId { get; set; }

    public string? ActorUserId { get; set; }

    /// <summary>User name at the time, or "system" for jobs.</summary>
    public required string ActorName { get; set; }

    /// <summary>Dotted verb such as "member.added", see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary>What was acted on, in words: "bob@example.com", "share link …1f3a".</summary>
    public string Target { get; set; } = "";

    /// <summary>Extra facts in plain text, e.g. "role Viewer → Editor".</summary>
    public string Details { get; set; } = "";

    public string? IpAddress { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}
