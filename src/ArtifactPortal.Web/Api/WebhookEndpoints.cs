using System.Security.Claims;
using ArtifactPortal.Core.Models;

namespace ArtifactPortal.Web.Api;

public sealed record ApiWebhookCreate(string? Url);

public sealed record ApiWebhookUpdate(bool? Active);

public sealed record ApiWebhook(Guid Id, string Url, bool Active, DateTimeOffset CreatedAt, string? LastDeliveryStatus);

public sealed record ApiCreatedWebhook(Guid Id, string Url, bool Active, DateTimeOffset CreatedAt, string Secret);

public sealed record ApiWebhookDelivery(
    Guid Id, string Event, string Status, int Attempts, int? ResponseStatus, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt);

/// <summary>/api/v1 endpoints for a project's webhooks and their delivery log (Maintainers).</summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/projects/{slug}").WithTags("Webhooks");
        hooks.MapGet("/webhooks", ListAsync)
            .WithSummary("List webhooks")
            .WithDescription("Maintainers: URL, active, created and the status of the newest delivery.");
        hooks.MapPost("/webhooks", CreateAsync)
            .WithSummary("Add a webhook")
            .WithDescription("Maintainers: url must be absolute http(s). The response carries the signing secret, shown only this once; "
                + "each delivery has the header X-ArtifactPortal-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>.")
            .Produces<ApiCreatedWebhook>(StatusCodes.Status201Created);
        hooks.MapPatch("/webhooks/{id:guid}", UpdateAsync)
            .WithSummary("Enable or disable a webhook")
            .WithDescription("Maintainers: { \"active\": false } stops new deliveries to it (nothing is queued while disabled); true resumes them.")
            .Produces(StatusCodes.Status204NoContent);
        hooks.MapDelete("/webhooks/{id:guid}", DeleteAsync)
            .WithSummary("Delete a webhook")
            .WithDescription("Deletes the webhook and its delivery log; queued deliveries are not sent.")
            .Produces(StatusCodes.Status204NoContent);
        hooks.MapGet("/webhooks/{id:guid}/deliveries", DeliveriesAsync)
            .WithSummary("Delivery log of a webhook")
            .WithDescription("Newest first, paged with skip and take (at most 200): event, status, attempts, response status, error.");
        hooks.MapPost("/webhooks/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverAsync)
            .WithSummary("Send a failed delivery again")
            .WithDescription("The delivery becomes pending with its attempts reset and is queued; only failed deliveries (409 otherwise).")
            .Produces(StatusCodes.Status202Accepted);
        return api;
    }

    private static async Task<IReadOnlyList<ApiWebhook>> ListAsync(ClaimsPrincipal user, string slug, WebhookService service, CancellationToken cancellationToken) =>
        [.. (await service.ListAsync(user, slug, cancellationToken)).Select(w => new ApiWebhook(
            w.Id, w.Url, w.Active, w.CreatedAt, w.LastDeliveryStatus?.ToString().ToLowerInvariant()))];

    private static async Task<IResult> CreateAsync(
        ClaimsPrincipal user, string slug, ApiWebhookCreate body, WebhookService service, CancellationToken cancellationToken)
    {
        var created = await service.CreateAsync(user, slug, body.Url, cancellationToken);
        var w = created.Webhook;
        return TypedResults.Created($"/api/v1/projects/{slug}/webhooks/{w.Id}", new ApiCreatedWebhook(w.Id, w.Url, w.Active, w.CreatedAt, created.Secret));
    }

    private static async Task<IResult> UpdateAsync(
        ClaimsPrincipal user, string slug, Guid id, ApiWebhookUpdate body, WebhookService service, CancellationToken cancellationToken)
    {
        if (body.Active is not { } active)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "Send { \"active\": true } or { \"active\": false }.");
        }

        await service.SetActiveAsync(user, slug, id, active, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteAsync(ClaimsPrincipal user, string slug, Guid id, WebhookService service, CancellationToken cancellationToken)
    {
        await service.DeleteAsync(user, slug, id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IReadOnlyList<ApiWebhookDelivery>> DeliveriesAsync(
        ClaimsPrincipal user, string slug, Guid id, int? skip, int? take, WebhookService service, CancellationToken cancellationToken) =>
        [.. (await service.ListDeliveriesAsync(user, slug, id, skip ?? 0, take ?? 50, cancellationToken)).Select(d => new ApiWebhookDelivery(
            d.Id, d.Event, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.ResponseStatus, d.Error, d.CreatedAt, d.LastAttemptAt))];

    private static async Task<IResult> RedeliverAsync(
        ClaimsPrincipal user, string slug, Guid id, Guid deliveryId, WebhookService service, CancellationToken cancellationToken)
    {
        await service.RedeliverAsync(user, slug, id, deliveryId, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
