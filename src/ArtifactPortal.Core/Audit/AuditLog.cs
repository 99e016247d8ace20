using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;

namespace ArtifactPortal.Core.Audit;

/// <summary>
/// Writes audit entries into the caller's own context, so an entry is saved in the same transaction as the change it
/// describes — never one without the other.
/// </summary>
public sealed class AuditLog(TimeProvider time, IClientAddressAccessor clientAddress)
{
    public const string SystemActor = "system";

    public void Record(IPortalDbContext db, ClaimsPrincipal? actor, string action, Guid? projectId, string target, string details = "")
    {
        db.AuditEntries.Add(new AuditEntry
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ProjectId = projectId,
            ActorUserId = actor?.UserId(),
            ActorName = actor?.Identity?.Name ?? SystemActor,
            Action = action,
            Target = Truncate(target, AuditEntry.MaxTextLength),
            Details = Truncate(details, AuditEntry.MaxTextLength * 4),
            IpAddress = actor is null ? null : clientAddress.ClientAddress,
            OccurredAt = time.GetUtcNow(),
        });
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
