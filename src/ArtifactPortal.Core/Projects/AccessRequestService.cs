using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

public sealed record AccessRequestListItem(Guid Id, string UserId, string UserName, string Email, string Message, DateTimeOffset CreatedAt);

/// <summary>Requests to join a private project, from people who opened a link into it.</summary>
public sealed class AccessRequestService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projectAccess,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time)
{
    public const string RequestField = "Request";

    /// <summary>
    /// Files a request when the slug names a project the caller cannot see. Behaves the same whether or not the project
    /// exists, so the answer reveals nothing.
    /// </summary>
    public async Task RequestAsync(ClaimsPrincipal user, string slug, string message, CancellationToken cancellationToken = default)
    {
        var userId = user.UserId() ?? throw new PortalAccessDeniedException("Sign in to request access.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking()
            .Where(p => p.Slug == slug)
            .Select(p => new { p.Id, p.Visibility })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (project is null || project.Visibility != ProjectVisibility.Private
            || await ProjectAccessService.EffectiveRoleAsync(db, project.Id, userId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var pending = await db.AccessRequests
            .AnyAsync(r => r.ProjectId == project.Id && r.UserId == userId && r.Status == AccessRequestStatus.Pending, cancellationToken)
            .ConfigureAwait(false);
        if (pending)
        {
            return;
        }

        var trimmed = message.Trim();
        db.AccessRequests.Add(new AccessRequest
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ProjectId = project.Id,
            UserId = userId,
            Message = trimmed.Length > AccessRequest.MaxMessageLength ? trimmed[..AccessRequest.MaxMessageLength] : trimmed,
            Status = AccessRequestStatus.Pending,
            CreatedAt = time.GetUtcNow(),
        });
        audit.Record(db, user, AuditActions.AccessRequested, project.Id, user.UserName());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Requests waiting for a decision, oldest first.</summary>
    public async Task<IReadOnlyList<AccessRequestListItem>> ListPendingAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        return await ListPendingAsync(access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pending requests for a caller whose access the page already looked up.</summary>
    public async Task<IReadOnlyList<AccessRequestListItem>> ListPendingAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.ManageMembers);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = await db.AccessRequests.AsNoTracking()
            .Where(r => r.ProjectId == access.ProjectId && r.Status == AccessRequestStatus.Pending)
            .OrderBy(r => r.CreatedAt)
            .Select(r => new { r.Id, r.UserId, r.Message, r.CreatedAt })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var people = await users.GetAsync([.. pending.Select(r => r.UserId)], cancellationToken).ConfigureAwait(false);
        return
        [
            .. pending
                .Where(r => people.ContainsKey(r.UserId))
                .Select(r => new AccessRequestListItem(r.Id, r.UserId, people[r.UserId].UserName, people[r.UserId].Email, r.Message, r.CreatedAt)),
        ];
    }

    /// <summary>Makes the requester a member with <paramref name="role"/> (a higher role they already have stays).</summary>
    public async Task<Result<ProjectRole>> ApproveAsync(
        ClaimsPrincipal user, string slug, Guid requestId, ProjectRole role, CancellationToken cancellationToken = default)
    {
        ProjectMembership.DemandDefined(role);
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        ProjectMembership.DemandRoleChange(access, null, role);
        var requester = await RequesterAsync(access.ProjectId, requestId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
        var request = await PendingAsync(db, access.ProjectId, requestId, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return Result.Invalid<ProjectRole>(RequestField, "Someone else already decided on this request.");
        }

        request.Status = AccessRequestStatus.Approved;
        request.DecidedAt = now;
        request.DecidedByUserId = user.UserId();
        request.GrantedRole = role;
        var (before, after) = await ProjectMembership.GrantAsync(db, access.ProjectId, request.UserId, role, now, cancellationToken).ConfigureAwait(false);
        audit.Record(db, user, AuditActions.AccessApproved, access.ProjectId, requester,
            before is null ? $"role {after}" : before == after ? $"role {after} kept" : $"role {before} → {after}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(after);
    }

    public async Task<Result<bool>> DenyAsync(ClaimsPrincipal user, string slug, Guid requestId, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.DemandAsync(user, slug, ProjectOperation.ManageMembers, cancellationToken).ConfigureAwait(false);
        var requester = await RequesterAsync(access.ProjectId, requestId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ProjectMembership.BeginChangeAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
        var request = await PendingAsync(db, access.ProjectId, requestId, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return Result.Invalid<bool>(RequestField, "Someone else already decided on this request.");
        }

        request.Status = AccessRequestStatus.Denied;
        request.DecidedAt = now;
        request.DecidedByUserId = user.UserId();
        audit.Record(db, user, AuditActions.AccessDenied, access.ProjectId, requester);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(true);
    }

    private static Task<AccessRequest?> PendingAsync(IPortalDbContext db, Guid projectId, Guid requestId, CancellationToken cancellationToken) =>
        db.AccessRequests.FirstOrDefaultAsync(
            r => r.Id == requestId && r.ProjectId == projectId && r.Status == AccessRequestStatus.Pending, cancellationToken);

    // Read before the change's transaction: the directory uses a connection of its own.
    private async Task<string> RequesterAsync(Guid projectId, Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var userId = await db.AccessRequests.AsNoTracking()
            .Where(r => r.Id == requestId && r.ProjectId == projectId)
            .Select(r => r.UserId)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (userId is null)
        {
            return requestId.ToString();
        }

        var people = await users.GetAsync([userId], cancellationToken).ConfigureAwait(false);
        return people.TryGetValue(userId, out var person) ? person.UserName : userId;
    }
}
