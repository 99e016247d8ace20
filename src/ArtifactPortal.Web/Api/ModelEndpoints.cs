using System.Security.Claims;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Web.Api;

public sealed record ApiNewPromotion(string Alias, int Version, string Justification);

public sealed record ApiReview(string Decision, string Comment);

public sealed record ApiComment(string Body);

public sealed record ApiOverride(int Version, string Reason);

public sealed record ApiPromotion(
    int Number,
    string Model,
    int Version,
    string Alias,
    string Status,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Approvals,
    int RequiredApprovals,
    string Url);

public sealed record ApiPromotionDetails(
    ApiPromotion Request,
    string Justification,
    int? CurrentHolderVersion,
    int? BaseVersion,
    IReadOnlyList<ApiPromotionReview> Reviews,
    IReadOnlyList<ApiPromotionComment> Comments,
    IReadOnlyList<PromotionCheckResult> Checks);

public sealed record ApiPromotionReview(string Reviewer, string Decision, string Comment, DateTimeOffset CreatedAt, bool Superseded);

public sealed record ApiPromotionComment(string Author, string Body, DateTimeOffset CreatedAt);

public sealed record ApiAliasChange(string Alias, int? Version, int? PreviousVersion, DateTimeOffset ChangedAt, string? ChangedBy, int? Request, string? OverrideReason);

public sealed record ApiProtectedAlias(
    string Name, int RequiredApprovals, string ReviewerRole, IReadOnlyList<string> ReviewerUsers, IReadOnlyList<string> ReviewerTeams,
    IReadOnlyList<ApiPromotionCheck> Checks);

public sealed record ApiPromotionCheck(string Kind, string? Metric, double? Threshold);

public sealed record ApiProtectedAliasPolicy(
    int? RequiredApprovals, string? ReviewerRole, IReadOnlyList<string>? ReviewerUsers, IReadOnlyList<string>? ReviewerTeams,
    IReadOnlyList<ApiPromotionCheck>? Checks);

/// <summary>/api/v1 endpoints of the model registry: promotion requests, reviews, protected aliases and notifications.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        var project = api.MapGroup("/projects/{slug}").WithTags("Models");
        project.MapGet("/promotions", ListAsync)
            .WithSummary("List promotion requests")
            .WithDescription("Newest first; status filters (open, approved, rejected, withdrawn, stale).");
        project.MapPost("/models/{model}/promotions", CreateAsync)
            .WithSummary("Request a promotion")
            .WithDescription("Asks to move a protected alias of the model to a version, with a justification (Editor and up). The alias's reviewers are notified.")
            .Produces<ApiPromotionDetails>(StatusCodes.Status201Created);
        project.MapGet("/promotions/{number:int}", GetAsync)
            .WithSummary("Get a promotion request")
            .WithDescription("The request with its reviews, comments and required checks (pass/fail).");
        project.MapPost("/promotions/{number:int}/reviews", ReviewAsync)
            .WithSummary("Review a promotion request")
            .WithDescription("decision: approve, reject or requestChanges, with a comment. Only reviewers the alias's policy allows, never the requester. "
                + "When the approvals are reached the alias moves at once; a request whose alias moved meanwhile becomes stale (409).");
        project.MapPost("/promotions/{number:int}/comments", CommentAsync)
            .WithSummary("Comment on a promotion request");
        project.MapPost("/promotions/{number:int}/withdraw", WithdrawAsync)
            .WithSummary("Withdraw a promotion request")
            .WithDescription("Only the requester, while the request is open or stale.");
        project.MapPost("/promotions/{number:int}/reopen", ReopenAsync)
            .WithSummary("Re-open a stale request")
            .WithDescription("Starts the review over against the alias's current holder; earlier reviews no longer count.");
        project.MapGet("/models/{model}/aliases/{alias}", GetAliasAsync)
            .WithSummary("The version an alias points at")
            .WithDescription("For deployment tooling: e.g. aliases/production returns the current production version with its files' download URLs.");
        project.MapGet("/models/{model}/alias-history", AliasHistoryAsync)
            .WithSummary("Alias history of a model")
            .WithDescription("Every move of every alias tracked by the registry, newest first, with the request or override that moved it.");
        project.MapPost("/models/{model}/aliases/{alias}/override", OverrideAsync)
            .WithSummary("Emergency override of a protected alias")
            .WithDescription("Owners only: moves a protected alias without review; the reason is audited and shown in the timeline. Open requests for the alias go stale.")
            .Produces(StatusCodes.Status204NoContent);
        project.MapGet("/protected-aliases", ListProtectedAsync)
            .WithSummary("List protected aliases")
            .WithDescription("The project's protected aliases and each one's approval policy.");
        project.MapPut("/protected-aliases/{alias}", SetProtectedAsync)
            .WithSummary("Protect an alias or change its policy")
            .WithDescription("Maintainers: approvals required, reviewer role or named reviewers/teams, required checks (metricAtLeast, metricAtMost, trainingDataStatisticsSucceeded).")
            .Produces(StatusCodes.Status204NoContent);
        project.MapDelete("/protected-aliases/{alias}", RemoveProtectedAsync)
            .WithSummary("Stop protecting an alias")
            .Produces(StatusCodes.Status204NoContent);

        var me = api.MapGroup("/me").WithTags("Account");
        me.MapGet("/reviews", AwaitingReviewAsync)
            .WithSummary("My reviews")
            .WithDescription("Open promotion requests, in every project, that the caller may review.");
        me.MapGet("/notifications", NotificationsAsync)
            .WithSummary("My notifications");
        me.MapPost("/notifications/read", MarkReadAsync)
            .WithSummary("Mark notifications read")
            .WithDescription("All of them, or one with ?id=.")
            .Produces(StatusCodes.Status204NoContent);
        return api;
    }

    private static async Task<ApiPage<ApiPromotion>> ListAsync(
        ClaimsPrincipal user, string slug, string? status, int? page, int? pageSize, PromotionService service, CancellationToken cancellationToken)
    {
        PromotionStatus? filter = Enum.TryParse<PromotionStatus>(status, ignoreCase: true, out var s) ? s : null;
        if (status is not null && filter is null)
        {
            throw new PortalRequestException($"status must be one of {string.Join(", ", Enum.GetNames<PromotionStatus>()).ToLowerInvariant()}.");
        }

        var list = await service.ListAsync(user, slug, filter, page ?? 1, pageSize ?? 50, cancellationToken);
        return new ApiPage<ApiPromotion>([.. list.Items.Select(ToApi)], list.Total);
    }

    private static async Task<IResult> CreateAsync(
        ClaimsPrincipal user, string slug, string model, ApiNewPromotion body, PromotionService service, CancellationToken cancellationToken)
    {
        var details = await service.CreateAsync(user, slug, model, new NewPromotionRequest(body.Alias, body.Version, body.Justification), cancellationToken);
        return TypedResults.Created(ApiUrl(details.Summary), ToApi(details));
    }

    private static async Task<ApiPromotionDetails> GetAsync(
        ClaimsPrincipal user, string slug, int number, PromotionService service, CancellationToken cancellationToken) =>
        ToApi(await service.GetAsync(user, slug, number, cancellationToken));

    private static async Task<ApiPromotionDetails> ReviewAsync(
        ClaimsPrincipal user, string slug, int number, ApiReview body, PromotionService service, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ReviewDecision>(body.Decision, ignoreCase: true, out var decision) || !Enum.IsDefined(decision))
        {
            throw new PortalRequestException("decision must be approve, reject or requestChanges.");
        }

        return ToApi(await service.ReviewAsync(user, slug, number, new PromotionReviewInput(decision, body.Comment), cancellationToken));
    }

    private static async Task<ApiPromotionDetails> CommentAsync(
        ClaimsPrincipal user, string slug, int number, ApiComment body, PromotionService service, CancellationToken cancellationToken) =>
        ToApi(await service.CommentAsync(user, slug, number, body.Body, cancellationToken));

    private static async Task<ApiPromotionDetails> WithdrawAsync(
        ClaimsPrincipal user, string slug, int number, PromotionService service, CancellationToken cancellationToken) =>
        ToApi(await service.WithdrawAsync(user, slug, number, cancellationToken));

    private static async Task<ApiPromotionDetails> ReopenAsync(
        ClaimsPrincipal user, string slug, int number, PromotionService service, CancellationToken cancellationToken) =>
        ToApi(await service.ReopenAsync(user, slug, number, cancellationToken));

    private static async Task<ApiVersion> GetAliasAsync(
        ClaimsPrincipal user, string slug, string model, string alias, ArtifactService artifacts, CancellationToken cancellationToken) =>
        ArtifactEndpoints.ToApi(await artifacts.GetVersionAsync(user, slug, model, alias.Trim().ToLowerInvariant(), cancellationToken));

    private static async Task<IReadOnlyList<ApiAliasChange>> AliasHistoryAsync(
        ClaimsPrincipal user, string slug, string model, PromotionService service, CancellationToken cancellationToken) =>
        [.. (await service.AliasHistoryAsync(user, slug, model, cancellationToken))
            .Select(c => new ApiAliasChange(c.Alias, c.Version, c.PreviousVersion, c.ChangedAt, c.ChangedBy, c.RequestNumber, c.OverrideReason))];

    private static async Task<IResult> OverrideAsync(
        ClaimsPrincipal user, string slug, string model, string alias, ApiOverride body, PromotionService service, CancellationToken cancellationToken)
    {
        await service.OverrideAsync(user, slug, model, alias, body.Version, body.Reason, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IReadOnlyList<ApiProtectedAlias>> ListProtectedAsync(
        ClaimsPrincipal user, string slug, ProtectedAliasService service, CancellationToken cancellationToken) =>
        [.. (await service.ListAsync(user, slug, cancellationToken)).Select(p => new ApiProtectedAlias(
            p.Name, p.RequiredApprovals, p.ReviewerRole.ToString().ToLowerInvariant(), p.ReviewerUserNames, p.ReviewerTeams,
            [.. p.Checks.Select(c => new ApiPromotionCheck(JsonCase(c.Kind.ToString()), c.MetricKey, c.Threshold))]))];

    private static async Task<IResult> SetProtectedAsync(
        ClaimsPrincipal user, string slug, string alias, ApiProtectedAliasPolicy body, ProtectedAliasService service, CancellationToken cancellationToken)
    {
        var role = ProjectRole.Maintainer;
        if (body.ReviewerRole is not null && (!Enum.TryParse(body.ReviewerRole, ignoreCase: true, out role) || !Enum.IsDefined(role)))
        {
            throw new PortalRequestException("reviewerRole must be editor, maintainer or owner.");
        }

        var checks = new List<PromotionCheckSpec>();
        foreach (var check in body.Checks ?? [])
        {
            if (!Enum.TryParse<PromotionCheckKind>(check.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new PortalRequestException($"Unknown check kind '{check.Kind}': use metricAtLeast, metricAtMost or trainingDataStatisticsSucceeded.");
            }

            checks.Add(new PromotionCheckSpec(kind, check.Metric, check.Threshold));
        }

        await service.SetAsync(user, slug, new ProtectedAliasInput(alias, body.RequiredApprovals ?? 1, role, body.ReviewerUsers, body.ReviewerTeams, checks),
            cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> RemoveProtectedAsync(
        ClaimsPrincipal user, string slug, string alias, ProtectedAliasService service, CancellationToken cancellationToken)
    {
        await service.RemoveAsync(user, slug, alias, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IReadOnlyList<ApiPromotion>> AwaitingReviewAsync(ClaimsPrincipal user, PromotionService service, CancellationToken cancellationToken) =>
        [.. (await service.ListAwaitingReviewAsync(user, cancellationToken)).Select(ToApi)];

    private static Task<IReadOnlyList<NotificationView>> NotificationsAsync(ClaimsPrincipal user, NotificationService service, CancellationToken cancellationToken) =>
        service.ListAsync(user, 50, cancellationToken);

    private static async Task<IResult> MarkReadAsync(ClaimsPrincipal user, Guid? id, NotificationService service, CancellationToken cancellationToken)
    {
        await service.MarkReadAsync(user, id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ApiPromotion ToApi(PromotionRequestSummary s) =>
        new(s.Number, s.Model, s.Version, s.Alias, PromotionService.Describe(s.Status), s.RequestedBy, s.CreatedAt, s.UpdatedAt, s.Approvals,
            s.RequiredApprovals, PromotionService.RequestUrl(s.ProjectSlug, s.Number));

    private static ApiPromotionDetails ToApi(PromotionRequestDetails d) =>
        new(ToApi(d.Summary), d.Justification, d.CurrentHolderVersion, d.BaseVersion,
            [.. d.Reviews.Select(r => new ApiPromotionReview(r.Reviewer, JsonCase(r.Decision.ToString()), r.Comment, r.CreatedAt, r.Superseded))],
            [.. d.Comments.Select(c => new ApiPromotionComment(c.Author, c.Body, c.CreatedAt))],
            d.Checks);

    private static string ApiUrl(PromotionRequestSummary s) => $"{ApiEndpoints.Prefix}/projects/{Uri.EscapeDataString(s.ProjectSlug)}/promotions/{s.Number}";

    /// <summary>RequestChanges → requestChanges, as the API's JSON names are camel case.</summary>
    private static string JsonCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
