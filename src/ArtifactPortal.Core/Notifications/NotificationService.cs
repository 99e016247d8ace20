using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Notifications;

public sealed record NotificationView(Guid Id, string Kind, string Title, string Url, DateTimeOffset CreatedAt, bool Read);

/// <summary>The signed-in person's own notifications (the bell): nobody reads or marks another person's.</summary>
public sealed class NotificationService(IPortalDbContextFactory dbFactory, TimeProvider time)
{
    public async Task<int> UnreadCountAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = Demand(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NotificationView>> ListAsync(ClaimsPrincipal user, int take = 20, CancellationToken cancellationToken = default)
    {
        var userId = Demand(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderByDescending(n => n.CreatedAt).Take(Math.Clamp(take, 1, 100))
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Url, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <param name="id">One notification, or null for all of them.</param>
    public async Task MarkReadAsync(ClaimsPrincipal user, Guid? id, CancellationToken cancellationToken = default)
    {
        var userId = Demand(user);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken).ConfigureAwait(false);
    }

    private static string Demand(ClaimsPrincipal user) => user.UserId() ?? throw new PortalAccessDeniedException("Sign in to see notifications.");
}
