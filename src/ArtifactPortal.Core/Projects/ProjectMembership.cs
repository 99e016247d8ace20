using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactPortal.Core.Projects;

/// <summary>Rules every change to who is in a project follows: direct members, teams, invitations, access requests.</summary>
internal static class ProjectMembership
{
    public const string LastOwnerMessage = "A project always keeps at least one Owner: make someone else Owner first.";

    /// <summary>
    /// Starts the transaction for a membership change. Its first statement writes the project row (its activity time),
    /// which holds that row's lock until commit on every provider (SQLite locks the whole database): two changes to the
    /// same project run one after the other, so "is there another Owner?" cannot be answered by both at once.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginChangeAsync(
        IPortalDbContext db, Guid projectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Projects.Where(p => p.Id == projectId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastActivityAt, now), cancellationToken)
            .ConfigureAwait(false);
        return transaction;
    }

    /// <summary>Maintainers manage every role below Owner; granting, changing or removing Owner takes an Owner (or administrator).</summary>
    public static void DemandRoleChange(ProjectAccess access, ProjectRole? from, ProjectRole? to)
    {
        if ((from == ProjectRole.Owner || to == ProjectRole.Owner) && !access.Can(ProjectOperation.ManageOwners))
        {
            throw new PortalAccessDeniedException("Only Owners can grant, change or remove the Owner role.");
        }
    }

    public static void DemandDefined(ProjectRole role)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown project role.");
        }
    }

    public static Task<bool> HasOtherOwnerAsync(IPortalDbContext db, Guid projectId, string userId, CancellationToken cancellationToken) =>
        db.ProjectMembers.AnyAsync(m => m.ProjectId == projectId && m.Role == ProjectRole.Owner && m.UserId != userId, cancellationToken);

    /// <summary>Makes the person a direct member with at least <paramref name="role"/>; a higher role they already have stays.</summary>
    /// <returns>The role they had before (null when new) and the role they have now.</returns>
    public static async Task<(ProjectRole? Before, ProjectRole After)> GrantAsync(
        IPortalDbContext db, Guid projectId, string userId, ProjectRole role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var member = await db.ProjectMembers
            .FirstOrDefaultAsync(m => m.ProjectId == projectId && m.UserId == userId, cancellationToken)
            .ConfigureAwait(false);
        if (member is null)
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = userId, Role = role, AddedAt = now });
            return (null, role);
        }

        var before = member.Role;
        if (role > member.Role)
        {
            member.Role = role;
        }

        return (before, member.Role);
    }
}
