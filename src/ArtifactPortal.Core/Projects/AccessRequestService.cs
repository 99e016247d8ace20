using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Projects;

/// <summary>Requests to join a private project, from people who opened a link into it.</summary>
public sealed class AccessRequestService(IPortalDbContextFactory dbFactory, AuditLog audit, TimeProvider time)
{
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
}
