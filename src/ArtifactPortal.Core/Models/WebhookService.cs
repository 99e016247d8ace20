using System.Security.Claims;
using System.Security.Cryptography;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Models;

/// <summary>Protects a webhook's signing secret for storage (Infrastructure uses data protection, the purpose the delivery job unprotects with).</summary>
public interface IWebhookSecretProtector
{
    string Protect(string secret);
}

public sealed record WebhookView(Guid Id, string Url, bool Active, DateTimeOffset CreatedAt, WebhookDeliveryStatus? LastDeliveryStatus);

/// <summary>A created webhook with its signing secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhook(WebhookView Webhook, string Secret);

public sealed record WebhookDeliveryView(
    Guid Id, string Event, WebhookDeliveryStatus Status, int Attempts, int? ResponseStatus, string? Error, DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt);

/// <summary>A project's webhooks and their delivery log (Maintainers).</summary>
public sealed class WebhookService(
    IPortalDbContextFactory dbFactory, ProjectAccessService projects, IWebhookSecretProtector protector, IAnnouncementDispatcher dispatcher,
    AuditLog audit, TimeProvider time)
{
    public const int MaxPageSize = 200;

    public async Task<IReadOnlyList<WebhookView>> ListAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default) =>
        await ListAsync(await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>With an access the caller already looked up (a page's shell), to avoid looking the project up again.</summary>
    public async Task<IReadOnlyList<WebhookView>> ListAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.EditSettings);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var hooks = await db.Webhooks.AsNoTracking().Where(w => w.ProjectId == access.ProjectId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = hooks.Select(w => w.Id).ToList();
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.WebhookId))
            .Select(d => new { d.WebhookId, d.CreatedAt, d.Status }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var last = deliveries.GroupBy(d => d.WebhookId).ToDictionary(g => g.Key, g => g.MaxBy(d => d.CreatedAt)!.Status);
        return [.. hooks.OrderBy(w => w.CreatedAt).Select(w => ToView(w, last.TryGetValue(w.Id, out var s) ? s : null))];
    }

    /// <summary>One webhook of the project (Maintainers); PortalNotFoundException when the project has no such webhook.</summary>
    public async Task<WebhookView> GetAsync(ClaimsPrincipal user, string slug, Guid id, CancellationToken cancellationToken = default) =>
        await GetAsync(await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false), id, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>With an access the caller already looked up (a page's shell).</summary>
    public async Task<WebhookView> GetAsync(ProjectAccess access, Guid id, CancellationToken cancellationToken = default)
    {
        var (db, webhook) = await FindAsync(access, id, cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var last = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id).OrderByDescending(d => d.CreatedAt)
                .Select(d => (WebhookDeliveryStatus?)d.Status).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return ToView(webhook, last);
        }
    }

    public async Task<CreatedWebhook> CreateAsync(ClaimsPrincipal user, string slug, string? url, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false);
        var trimmed = url?.Trim() ?? "";
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new PortalRequestException("The webhook URL must be an absolute http:// or https:// URL.");
        }

        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var webhook = new Webhook
        {
            Id = Guid.NewGuid(),
            ProjectId = access.ProjectId,
            Url = uri.ToString(),
            ProtectedSecret = protector.Protect(secret),
            Active = true,
            CreatedAt = time.GetUtcNow(),
            CreatedByUserId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Webhooks.Add(webhook);
        audit.Record(db, user, AuditActions.WebhookCreated, access.ProjectId, webhook.Url);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedWebhook(ToView(webhook, null), secret);
    }

    public async Task SetActiveAsync(ClaimsPrincipal user, string slug, Guid id, bool active, CancellationToken cancellationToken = default)
    {
        var (access, db, webhook) = await FindAsync(user, slug, id, cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            webhook.Active = active;
            audit.Record(db, user, AuditActions.WebhookChanged, access.ProjectId, webhook.Url, active ? "enabled" : "disabled");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the webhook and its delivery log; queued deliveries find it gone and stop.</summary>
    public async Task DeleteAsync(ClaimsPrincipal user, string slug, Guid id, CancellationToken cancellationToken = default)
    {
        var (access, db, webhook) = await FindAsync(user, slug, id, cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await db.WebhookDeliveries.Where(d => d.WebhookId == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            db.Webhooks.Remove(webhook);
            audit.Record(db, user, AuditActions.WebhookDeleted, access.ProjectId, webhook.Url);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> ListDeliveriesAsync(
        ClaimsPrincipal user, string slug, Guid id, int skip, int take, CancellationToken cancellationToken = default) =>
        await ListDeliveriesAsync(
            await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false), id, skip, take, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Newest first, with an access the caller already looked up (a page's shell).</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> ListDeliveriesAsync(
        ProjectAccess access, Guid id, int skip, int take, CancellationToken cancellationToken = default)
    {
        if (skip < 0 || take is < 1 or > MaxPageSize)
        {
            throw new PortalRequestException($"skip must be 0 or more and take between 1 and {MaxPageSize}.");
        }

        var (db, _) = await FindAsync(access, id, cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip(skip).Take(take).Select(d => new WebhookDeliveryView(
                d.Id, d.Event, d.Status, d.Attempts, d.ResponseStatus, d.Error, d.CreatedAt, d.LastAttemptAt))];
        }
    }

    /// <summary>Sends a failed delivery again from the first attempt.</summary>
    public async Task RedeliverAsync(ClaimsPrincipal user, string slug, Guid id, Guid deliveryId, CancellationToken cancellationToken = default)
    {
        var (access, db, webhook) = await FindAsync(user, slug, id, cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.WebhookId == id, cancellationToken).ConfigureAwait(false)
                ?? throw new PortalNotFoundException("There is no such delivery for this webhook.");
            if (delivery.Status != WebhookDeliveryStatus.Failed)
            {
                throw new PortalConflictException("Only a failed delivery can be sent again.");
            }

            delivery.Status = WebhookDeliveryStatus.Pending;
            delivery.Attempts = 0;
            delivery.Error = null;
            delivery.ResponseStatus = null;
            audit.Record(db, user, AuditActions.WebhookRedelivered, access.ProjectId, webhook.Url, delivery.Event);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        await dispatcher.DispatchAsync(new Announcement([], [deliveryId]), cancellationToken).ConfigureAwait(false);
    }

    private static WebhookView ToView(Webhook webhook, WebhookDeliveryStatus? lastDeliveryStatus) =>
        new(webhook.Id, webhook.Url, webhook.Active, webhook.CreatedAt, lastDeliveryStatus);

    private async Task<(ProjectAccess Access, IPortalDbContext Db, Webhook Webhook)> FindAsync(
        ClaimsPrincipal user, string slug, Guid id, CancellationToken cancellationToken)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false);
        var (db, webhook) = await FindAsync(access, id, cancellationToken).ConfigureAwait(false);
        return (access, db, webhook);
    }

    private async Task<(IPortalDbContext Db, Webhook Webhook)> FindAsync(ProjectAccess access, Guid id, CancellationToken cancellationToken)
    {
        access.Demand(ProjectOperation.EditSettings);
        var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id && w.ProjectId == access.ProjectId, cancellationToken).ConfigureAwait(false);
        if (webhook is null)
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw new PortalNotFoundException($"There is no such webhook in {access.Slug}.");
        }

        return (db, webhook);
    }
}
