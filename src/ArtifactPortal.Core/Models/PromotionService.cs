using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Models;

/// <summary>
/// Promotion requests: an Editor asks to move a protected alias of a model to a version; reviewers the alias's policy allows
/// approve, reject or request changes; when enough approve, the alias moves atomically and competing requests go stale.
/// Every method checks the caller's permissions itself.
/// </summary>
public sealed class PromotionService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    ArtifactService artifacts,
    IUserDirectory users,
    PortalAnnouncer announcer,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxTextLength = 4000;

    public async Task<PromotionRequestDetails> CreateAsync(
        ClaimsPrincipal user, string slug, string model, NewPromotionRequest input, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await artifacts.LocateAsync(user, slug, model, ProjectOperation.RequestPromotion, cancellationToken).ConfigureAwait(false);
        var alias = input.Alias?.Trim().ToLowerInvariant() ?? "";
        var justification = RequireText(input.Justification, "justification");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await ProtectedAliases.IsProtectedAsync(db, artifact, alias, cancellationToken).ConfigureAwait(false))
        {
            throw new PortalRequestException(artifact.Type == ArtifactType.Model
                ? $"'{alias}' is not a protected alias in {access.Slug}; set it directly instead."
                : $"{artifact.Name} is not a model; only models go through promotion requests.");
        }

        var version = await ArtifactService.FindVersionAsync(db, artifact, input.Version.ToString(CultureInfo.InvariantCulture), cancellationToken)
            .ConfigureAwait(false);
        if (version.DeletedAt is not null)
        {
            throw new PortalConflictException($"v{version.Number} was deleted; it cannot be promoted.");
        }

        var holder = await HolderAsync(db, artifact.Id, alias, cancellationToken).ConfigureAwait(false);
        if (holder == version.Id)
        {
            throw new PortalConflictException($"v{version.Number} already holds '{alias}'.");
        }

        if (await db.PromotionRequests.AnyAsync(
                r => r.ArtifactId == artifact.Id && r.AliasName == alias && r.VersionId == version.Id && r.Status == PromotionStatus.Open,
                cancellationToken).ConfigureAwait(false))
        {
            throw new PortalConflictException($"A request to move '{alias}' to v{version.Number} is already open.");
        }

        var title = $"{artifact.Name} v{version.Number} → {alias}";
        var reviewers = await ReviewerIdsAsync(db, access.ProjectId, alias, cancellationToken).ConfigureAwait(false);
        // Numbers are per project; the unique index decides when two requests race for the same number.
        for (var attempt = 0; ; attempt++)
        {
            await using var write = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var request = new PromotionRequest
            {
                Id = Guid.CreateVersion7(now),
                ProjectId = access.ProjectId,
                Number = 1 + (await write.PromotionRequests.Where(r => r.ProjectId == access.ProjectId).MaxAsync(r => (int?)r.Number, cancellationToken)
                    .ConfigureAwait(false) ?? 0),
                ArtifactId = artifact.Id,
                VersionId = version.Id,
                AliasName = alias,
                BaseVersionId = holder,
                Status = PromotionStatus.Open,
                RequestedByUserId = user.UserId()!,
                Justification = justification,
                CreatedAt = now,
                UpdatedAt = now,
                ConcurrencyStamp = Guid.NewGuid(),
            };
            write.PromotionRequests.Add(request);
            audit.Record(write, user, AuditActions.PromotionRequested, access.ProjectId, $"#{request.Number} {title}", justification);
            var announcement = announcer.Add(write, access.ProjectId, PortalEvents.PromotionRequested,
                reviewers.Where(id => id != request.RequestedByUserId), $"Review requested: {title}", RequestUrl(access.Slug, request.Number),
                Payload(access.Slug, artifact.Name, request, version.Number));
            try
            {
                await write.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < 4)
            {
                continue;
            }

            await announcer.DispatchAsync(announcement, cancellationToken).ConfigureAwait(false);
            return await GetAsync(user, slug, request.Number, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<PagedPromotions> ListAsync(
        ClaimsPrincipal user, string slug, PromotionStatus? status, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListAsync(access, status, page, pageSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The requests for a caller whose access the page already looked up.</summary>
    public async Task<PagedPromotions> ListAsync(
        ProjectAccess access, PromotionStatus? status, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.PromotionRequests.AsNoTracking().Where(r => r.ProjectId == access.ProjectId);
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        var (skip, take) = Paging.Window(page, pageSize, maxPageSize: 200);
        var rows = await query.OrderByDescending(r => r.Number).Skip(skip).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        var total = await Paging.TotalAsync(query, skip, take, rows.Count, cancellationToken).ConfigureAwait(false);
        return new PagedPromotions(await SummariesAsync(db, rows, cancellationToken).ConfigureAwait(false), total);
    }

    /// <summary>"My reviews": open requests in every project where the caller may approve and did not ask.</summary>
    public async Task<IReadOnlyList<PromotionRequestSummary>> ListAwaitingReviewAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.UserId() ?? throw new PortalAccessDeniedException("Sign in to see your reviews.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var open = await db.PromotionRequests.AsNoTracking()
            .Where(r => r.Status == PromotionStatus.Open && r.RequestedByUserId != userId)
            .OrderByDescending(r => r.UpdatedAt)
            .Take(500)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // A fixed number of queries however many requests are open: policies, the caller's teams and roles in one go each.
        var projectIds = open.Select(r => r.ProjectId).Distinct().ToList();
        var policies = await db.ProtectedAliases.AsNoTracking().Include(a => a.Reviewers).Where(a => projectIds.Contains(a.ProjectId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var teams = await TeamsOfAsync(db, userId, cancellationToken).ConfigureAwait(false);
        var roles = await ProjectAccessService.EffectiveRolesAsync(db, projectIds, userId, cancellationToken).ConfigureAwait(false);
        var mine = open.Where(request =>
            {
                var policy = policies.FirstOrDefault(a => a.ProjectId == request.ProjectId && a.Name == request.AliasName)
                    ?? DefaultPolicy(request.ProjectId, request.AliasName);
                return MayReview(policy, userId, teams, roles.TryGetValue(request.ProjectId, out var role) ? role : null);
            })
            .ToList();

        return await SummariesAsync(db, mine, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromotionRequestDetails> GetAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await FindAsync(db, access, number, tracking: false, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(db, access, user, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromotionRequestDetails> ReviewAsync(
        ClaimsPrincipal user, string slug, int number, PromotionReviewInput input, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        var comment = RequireText(input.Comment, "comment");
        if (!Enum.IsDefined(input.Decision))
        {
            throw new PortalRequestException("The decision must be approve, reject or requestChanges.");
        }

        var userId = user.UserId()!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await FindAsync(db, access, number, tracking: true, cancellationToken).ConfigureAwait(false);
        var policy = await PolicyAsync(db, request.ProjectId, request.AliasName, cancellationToken).ConfigureAwait(false);
        if (await ReviewBlockedReasonAsync(db, access, policy, request, userId, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            throw new PortalAccessDeniedException(reason);
        }

        DemandOpen(request, "reviewed");
        var version = await db.ArtifactVersions.AsNoTracking().FirstAsync(v => v.Id == request.VersionId, cancellationToken).ConfigureAwait(false);
        if (version.DeletedAt is not null)
        {
            throw new PortalConflictException($"v{version.Number} was deleted; withdraw this request.");
        }

        if (input.Decision == ReviewDecision.Approve)
        {
            var failing = (await EvaluateChecksAsync(db, policy, request, cancellationToken).ConfigureAwait(false)).Where(c => !c.Passed).ToList();
            if (failing.Count > 0)
            {
                throw new PortalConflictException("Required checks fail: " + string.Join("; ", failing.Select(c => $"{c.Description} ({c.Detail})")) + ".");
            }
        }

        var now = time.GetUtcNow();
        foreach (var earlier in await db.PromotionReviews.Where(r => r.RequestId == request.Id && r.ReviewerUserId == userId && !r.Superseded)
                     .ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            earlier.Superseded = true;
        }

        db.PromotionReviews.Add(new PromotionReview
        {
            Id = Guid.CreateVersion7(now),
            RequestId = request.Id,
            ReviewerUserId = userId,
            Decision = input.Decision,
            Comment = comment,
            CreatedAt = now,
        });
        request.UpdatedAt = now;
        var artifactName = await ArtifactNameAsync(db, request.ArtifactId, cancellationToken).ConfigureAwait(false);
        var title = $"{artifactName} v{version.Number} → {request.AliasName}";
        audit.Record(db, user, AuditActions.PromotionReviewed, access.ProjectId, $"#{request.Number} {title}", $"{input.Decision}: {comment}");
        if (input.Decision == ReviewDecision.Reject)
        {
            Close(request, PromotionStatus.Rejected, userId, now);
            audit.Record(db, user, AuditActions.PromotionRejected, access.ProjectId, $"#{request.Number} {title}", comment);
        }

        var (eventName, verb) = input.Decision switch
        {
            ReviewDecision.Approve => (PortalEvents.PromotionApprovalAdded, "approved"),
            ReviewDecision.Reject => (PortalEvents.PromotionRejected, "rejected"),
            _ => (PortalEvents.PromotionChangesRequested, "asked for changes on"),
        };
        var announcement = announcer.Add(db, access.ProjectId, eventName, [request.RequestedByUserId],
            $"{user.Identity?.Name ?? "A reviewer"} {verb} {title}", RequestUrl(access.Slug, request.Number),
            Payload(access.Slug, artifactName, request, version.Number));
        await SaveOrConflictAsync(db, request, cancellationToken).ConfigureAwait(false);
        await announcer.DispatchAsync(announcement, cancellationToken).ConfigureAwait(false);

        if (input.Decision == ReviewDecision.Approve)
        {
            await TryPromoteAsync(user, access, request.Id, cancellationToken).ConfigureAwait(false);
        }

        return await GetAsync(user, slug, number, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromotionRequestDetails> CommentAsync(ClaimsPrincipal user, string slug, int number, string body, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        var text = RequireText(body, "comment");
        if (user.UserId() is not { } userId)
        {
            throw new PortalAccessDeniedException("Sign in to comment.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await FindAsync(db, access, number, tracking: false, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        db.PromotionComments.Add(new PromotionComment { Id = Guid.CreateVersion7(now), RequestId = request.Id, AuthorUserId = userId, Body = text, CreatedAt = now });
        var participants = await db.PromotionReviews.Where(r => r.RequestId == request.Id).Select(r => r.ReviewerUserId)
            .Concat(db.PromotionComments.Where(c => c.RequestId == request.Id).Select(c => c.AuthorUserId))
            .Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        participants.Add(request.RequestedByUserId);
        var artifactName = await ArtifactNameAsync(db, request.ArtifactId, cancellationToken).ConfigureAwait(false);
        var announcement = announcer.Add(db, access.ProjectId, PortalEvents.PromotionCommented, participants.Distinct().Where(id => id != userId),
            $"{user.Identity?.Name ?? "Someone"} commented on promotion #{request.Number} ({artifactName} → {request.AliasName})",
            RequestUrl(access.Slug, request.Number), payload: null);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await announcer.DispatchAsync(announcement, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(db, access, user, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The requester takes an open or stale request back.</summary>
    public async Task<PromotionRequestDetails> WithdrawAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await FindAsync(db, access, number, tracking: true, cancellationToken).ConfigureAwait(false);
        if (request.RequestedByUserId != user.UserId())
        {
            throw new PortalAccessDeniedException("Only the person who asked for this promotion can withdraw it.");
        }

        if (request.Status is not (PromotionStatus.Open or PromotionStatus.Stale))
        {
            throw new PortalConflictException($"Request #{request.Number} is {Describe(request.Status)}; it cannot be withdrawn.");
        }

        Close(request, PromotionStatus.Withdrawn, user.UserId()!, time.GetUtcNow());
        audit.Record(db, user, AuditActions.PromotionWithdrawn, access.ProjectId, $"#{request.Number} {request.AliasName}");
        await SaveOrConflictAsync(db, request, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(db, access, user, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stale request starts over against the alias's new holder; earlier reviews no longer count.</summary>
    public async Task<PromotionRequestDetails> ReopenAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.RequestPromotion, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var request = await FindAsync(db, access, number, tracking: true, cancellationToken).ConfigureAwait(false);
        if (request.Status != PromotionStatus.Stale)
        {
            throw new PortalConflictException($"Request #{request.Number} is {Describe(request.Status)}; only a stale request is re-opened.");
        }

        var holder = await HolderAsync(db, request.ArtifactId, request.AliasName, cancellationToken).ConfigureAwait(false);
        if (holder == request.VersionId)
        {
            throw new PortalConflictException("This version already holds the alias; nothing to re-open.");
        }

        await db.PromotionReviews.Where(r => r.RequestId == request.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Superseded, true), cancellationToken).ConfigureAwait(false);
        request.Status = PromotionStatus.Open;
        request.BaseVersionId = holder;
        request.UpdatedAt = time.GetUtcNow();
        request.ConcurrencyStamp = Guid.NewGuid();
        audit.Record(db, user, AuditActions.PromotionReopened, access.ProjectId, $"#{request.Number} {request.AliasName}");
        await SaveOrConflictAsync(db, request, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(db, access, user, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An Owner moves a protected alias without review in an emergency; the reason is audited and shown in the timeline.</summary>
    public async Task OverrideAsync(
        ClaimsPrincipal user, string slug, string model, string alias, int versionNumber, string reason, CancellationToken cancellationToken = default)
    {
        // Owners only: the same right as managing owners, so a read-only token never overrides.
        var (access, artifact) = await artifacts.LocateAsync(user, slug, model, ProjectOperation.ManageOwners, cancellationToken).ConfigureAwait(false);

        var why = RequireText(reason, "reason");
        alias = alias.Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await ProtectedAliases.IsProtectedAsync(db, artifact, alias, cancellationToken).ConfigureAwait(false))
        {
            throw new PortalRequestException($"'{alias}' is not protected; set it directly.");
        }

        var version = await ArtifactService.FindVersionAsync(db, artifact, versionNumber.ToString(CultureInfo.InvariantCulture), cancellationToken)
            .ConfigureAwait(false);
        if (version.DeletedAt is not null)
        {
            throw new PortalConflictException($"v{version.Number} was deleted; an alias cannot point at it.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var previous = await HolderAsync(db, artifact.Id, alias, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await MoveAliasAsync(db, artifact.Id, alias, previous, version.Id, user.UserId(), now, cancellationToken).ConfigureAwait(false);
        db.AliasChanges.Add(new AliasChange
        {
            Id = Guid.CreateVersion7(now),
            ArtifactId = artifact.Id,
            AliasName = alias,
            VersionId = version.Id,
            PreviousVersionId = previous,
            ChangedAt = now,
            ChangedByUserId = user.UserId(),
            OverrideReason = why,
        });
        await MarkCompetitorsStaleAsync(db, user, access, artifact.Id, alias, exceptRequestId: null, now, cancellationToken).ConfigureAwait(false);
        audit.Record(db, user, AuditActions.ProtectedAliasOverridden, access.ProjectId, $"{artifact.Name}:{alias}", $"moved to v{version.Number}: {why}");
        var announcement = announcer.Add(db, access.ProjectId, PortalEvents.AliasChanged, [], $"{artifact.Name}:{alias} → v{version.Number} (override)",
            $"/p/{access.Slug}/models/{Uri.EscapeDataString(artifact.Name)}",
            new { project = access.Slug, model = artifact.Name, alias, version = version.Number, overrideReason = why });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await announcer.DispatchAsync(announcement, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AliasChangeView>> AliasHistoryAsync(
        ClaimsPrincipal user, string slug, string model, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        var artifact = await artifacts.LocateAsync(access, model, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await AliasHistoryAsync(access, artifact.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The alias history of a model the caller has already read (a model's page), with the access its shell looked up; an id
    /// of another project's artifact has none.
    /// </summary>
    public async Task<IReadOnlyList<AliasChangeView>> AliasHistoryAsync(ProjectAccess access, Guid modelId, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var ofThisProject = db.AliasChanges.Where(c => c.ArtifactId == modelId && db.Artifacts.Any(a => a.Id == modelId && a.ProjectId == access.ProjectId));
        var changes = await AliasChangeViewsAsync(db, ofThisProject, cancellationToken).ConfigureAwait(false);
        return [.. changes.Select(c => c.View)];
    }

    /// <summary>
    /// For the models list: per model of the project, the versions holding its aliases and its latest alias change — a fixed
    /// number of queries however many models there are. Ids of other projects' artifacts are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ModelAliasState>> AliasStatesAsync(
        ClaimsPrincipal user, string slug, IReadOnlyCollection<Guid> artifactIds, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await AliasStatesAsync(access, artifactIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Like the other overload, for a caller whose access the page already looked up.</summary>
    public async Task<IReadOnlyDictionary<Guid, ModelAliasState>> AliasStatesAsync(
        ProjectAccess access, IReadOnlyCollection<Guid> artifactIds, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var ids = await db.Artifacts.AsNoTracking().Where(a => a.ProjectId == access.ProjectId && artifactIds.Contains(a.Id)).Select(a => a.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var aliases = await db.ArtifactAliases.AsNoTracking()
            .Where(a => ids.Contains(a.ArtifactId))
            .Join(db.ArtifactVersions, a => a.VersionId, v => v.Id, (a, v) => new { a.ArtifactId, a.Name, v.Number })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var latest = await AliasChangeViewsAsync(db, db.AliasChanges.Where(c => ids.Contains(c.ArtifactId)
            && c.Id == db.AliasChanges.Where(d => d.ArtifactId == c.ArtifactId).OrderByDescending(d => d.ChangedAt).Select(d => d.Id).First()),
            cancellationToken).ConfigureAwait(false);
        var lastChanges = latest.ToDictionary(c => c.ArtifactId, c => c.View);
        return ids.ToDictionary(id => id, id => new ModelAliasState(
            aliases.Where(a => a.ArtifactId == id).ToDictionary(a => a.Name, a => a.Number),
            lastChanges.GetValueOrDefault(id)));
    }

    /// <summary>The changes newest first, with version and request numbers and who made them, in two queries.</summary>
    private async Task<List<(Guid ArtifactId, AliasChangeView View)>> AliasChangeViewsAsync(
        IPortalDbContext db, IQueryable<AliasChange> changes, CancellationToken cancellationToken)
    {
        var rows = await changes.AsNoTracking().OrderByDescending(c => c.ChangedAt)
            .Select(c => new
            {
                c.ArtifactId,
                c.AliasName,
                Version = db.ArtifactVersions.Where(v => v.Id == c.VersionId).Select(v => (int?)v.Number).FirstOrDefault(),
                Previous = db.ArtifactVersions.Where(v => v.Id == c.PreviousVersionId).Select(v => (int?)v.Number).FirstOrDefault(),
                c.ChangedAt,
                c.ChangedByUserId,
                Request = db.PromotionRequests.Where(r => r.Id == c.PromotionRequestId).Select(r => (int?)r.Number).FirstOrDefault(),
                c.OverrideReason,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await UserNamesAsync(rows.Select(r => r.ChangedByUserId), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.ArtifactId, new AliasChangeView(r.AliasName, r.Version, r.Previous, r.ChangedAt,
            r.ChangedByUserId is null ? null : names.GetValueOrDefault(r.ChangedByUserId), r.Request, r.OverrideReason)))];
    }

    /// <summary>
    /// Moves the alias when the approvals are reached. The alias row only moves if it still points at the version the request
    /// was reviewed against, and the request's concurrency stamp changes with it: of two racing approvals exactly one moves it.
    /// </summary>
    private async Task TryPromoteAsync(ClaimsPrincipal user, ProjectAccess access, Guid requestId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var request = await db.PromotionRequests.FirstAsync(r => r.Id == requestId, cancellationToken).ConfigureAwait(false);
                var policy = await PolicyAsync(db, request.ProjectId, request.AliasName, cancellationToken).ConfigureAwait(false);
                var current = await db.PromotionReviews.AsNoTracking().Where(r => r.RequestId == requestId && !r.Superseded)
                    .Select(r => r.Decision).ToListAsync(cancellationToken).ConfigureAwait(false);
                if (request.Status != PromotionStatus.Open
                    || current.Count(d => d == ReviewDecision.Approve) < policy.RequiredApprovals
                    || current.Contains(ReviewDecision.RequestChanges))
                {
                    return;
                }

                var now = time.GetUtcNow();
                var version = await db.ArtifactVersions.AsNoTracking().FirstAsync(v => v.Id == request.VersionId, cancellationToken).ConfigureAwait(false);
                var artifactName = await ArtifactNameAsync(db, request.ArtifactId, cancellationToken).ConfigureAwait(false);
                var title = $"{artifactName} v{version.Number} → {request.AliasName}";
                var moved = await MoveAliasAsync(db, request.ArtifactId, request.AliasName, request.BaseVersionId, request.VersionId, user.UserId(), now, cancellationToken)
                    .ConfigureAwait(false);
                if (!moved)
                {
                    // Another request moved the alias since this one was reviewed: its approvals were for a different comparison.
                    request.Status = PromotionStatus.Stale;
                    request.UpdatedAt = now;
                    request.ConcurrencyStamp = Guid.NewGuid();
                    audit.Record(db, user, AuditActions.PromotionStale, access.ProjectId, $"#{request.Number} {title}", "the alias moved before approval");
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                Close(request, PromotionStatus.Approved, user.UserId()!, now);
                db.AliasChanges.Add(new AliasChange
                {
                    Id = Guid.CreateVersion7(now),
                    ArtifactId = request.ArtifactId,
                    AliasName = request.AliasName,
                    VersionId = request.VersionId,
                    PreviousVersionId = request.BaseVersionId,
                    ChangedAt = now,
                    ChangedByUserId = user.UserId(),
                    PromotionRequestId = request.Id,
                });
                await MarkCompetitorsStaleAsync(db, user, access, request.ArtifactId, request.AliasName, request.Id, now, cancellationToken).ConfigureAwait(false);
                audit.Record(db, user, AuditActions.PromotionApproved, access.ProjectId, $"#{request.Number} {title}",
                    request.BaseVersionId is null ? "alias set" : "alias moved; the previous holder is archived");
                var reviewers = await db.PromotionReviews.Where(r => r.RequestId == requestId).Select(r => r.ReviewerUserId).Distinct()
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                var announcement = announcer.Add(db, access.ProjectId, PortalEvents.PromotionApproved,
                    reviewers.Append(request.RequestedByUserId).Distinct().Where(id => id != user.UserId()),
                    $"Promoted: {title}", RequestUrl(access.Slug, request.Number), Payload(access.Slug, artifactName, request, version.Number))
                    .Merge(announcer.Add(db, access.ProjectId, PortalEvents.AliasChanged, [], $"{artifactName}:{request.AliasName} → v{version.Number}",
                        RequestUrl(access.Slug, request.Number), Payload(access.Slug, artifactName, request, version.Number)));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                await announcer.DispatchAsync(announcement, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is DbUpdateException or DbException)
            {
                // Lost a race (SQLite's busy snapshot, a concurrency stamp, the alias key): look again with fresh data.
            }
        }

        throw new PortalConflictException("The promotion could not be completed because of concurrent changes; try again.");
    }

    /// <returns>False when the alias no longer points at <paramref name="expected"/>.</returns>
    private static async Task<bool> MoveAliasAsync(
        IPortalDbContext db, Guid artifactId, string alias, Guid? expected, Guid target, string? userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (expected is { } previous)
        {
            var updated = await db.ArtifactAliases
                .Where(a => a.ArtifactId == artifactId && a.Name == alias && a.VersionId == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.VersionId, target).SetProperty(a => a.UpdatedAt, now).SetProperty(a => a.UpdatedByUserId, userId),
                    cancellationToken).ConfigureAwait(false);
            return updated == 1;
        }

        if (await db.ArtifactAliases.AnyAsync(a => a.ArtifactId == artifactId && a.Name == alias, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // A concurrent insert of the same alias fails on the primary key at save time.
        db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifactId, Name = alias, VersionId = target, UpdatedAt = now, UpdatedByUserId = userId });
        return true;
    }

    private async Task MarkCompetitorsStaleAsync(
        IPortalDbContext db, ClaimsPrincipal user, ProjectAccess access, Guid artifactId, string alias, Guid? exceptRequestId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var competitors = await db.PromotionRequests
            .Where(r => r.ArtifactId == artifactId && r.AliasName == alias && r.Status == PromotionStatus.Open && r.Id != exceptRequestId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var competitor in competitors)
        {
            competitor.Status = PromotionStatus.Stale;
            competitor.UpdatedAt = now;
            competitor.ConcurrencyStamp = Guid.NewGuid();
            audit.Record(db, user, AuditActions.PromotionStale, access.ProjectId, $"#{competitor.Number} {alias}", "another version took the alias");
        }
    }

    private async Task<PromotionRequestDetails> DetailsAsync(
        IPortalDbContext db, ProjectAccess access, ClaimsPrincipal user, PromotionRequest request, CancellationToken cancellationToken)
    {
        var summary = (await SummariesAsync(db, [request], cancellationToken).ConfigureAwait(false))[0];
        var reviews = await db.PromotionReviews.AsNoTracking().Where(r => r.RequestId == request.Id).OrderBy(r => r.CreatedAt)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var comments = await db.PromotionComments.AsNoTracking().Where(c => c.RequestId == request.Id).OrderBy(c => c.CreatedAt)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await UserNamesAsync(
            reviews.Select(r => r.ReviewerUserId).Concat(comments.Select(c => c.AuthorUserId)).Append(request.ClosedByUserId), cancellationToken)
            .ConfigureAwait(false);
        var holder = await HolderAsync(db, request.ArtifactId, request.AliasName, cancellationToken).ConfigureAwait(false);
        var numbers = await db.ArtifactVersions.AsNoTracking()
            .Where(v => v.Id == holder || v.Id == request.BaseVersionId || v.Id == request.VersionId)
            .Select(v => new { v.Id, v.Number, v.DeletedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var policy = await PolicyAsync(db, request.ProjectId, request.AliasName, cancellationToken).ConfigureAwait(false);
        var checks = await EvaluateChecksAsync(db, policy, request, cancellationToken).ConfigureAwait(false);
        var userId = user.UserId();
        var blocked = userId is null ? "Sign in to review." : await ReviewBlockedReasonAsync(db, access, policy, request, userId, cancellationToken).ConfigureAwait(false);
        blocked ??= request.Status != PromotionStatus.Open ? $"This request is {Describe(request.Status)}." : null;
        var isRequester = userId == request.RequestedByUserId;
        return new PromotionRequestDetails(
            summary,
            request.Justification,
            numbers.FirstOrDefault(n => n.Id == holder)?.Number,
            numbers.FirstOrDefault(n => n.Id == request.BaseVersionId)?.Number,
            numbers.FirstOrDefault(n => n.Id == request.VersionId)?.DeletedAt is not null,
            request.ClosedAt,
            request.ClosedByUserId is null ? null : names.GetValueOrDefault(request.ClosedByUserId),
            [.. reviews.Select(r => new PromotionReviewView(names.GetValueOrDefault(r.ReviewerUserId, "former user"), r.Decision, r.Comment, r.CreatedAt, r.Superseded))],
            [.. comments.Select(c => new PromotionCommentView(names.GetValueOrDefault(c.AuthorUserId, "former user"), c.Body, c.CreatedAt))],
            checks,
            new PromotionPermissions(
                CanReview: blocked is null,
                ReviewBlockedReason: blocked,
                CanWithdraw: isRequester && request.Status is PromotionStatus.Open or PromotionStatus.Stale,
                CanReopen: request.Status == PromotionStatus.Stale && access.Can(ProjectOperation.RequestPromotion),
                CanComment: userId is not null));
    }

    private async Task<List<PromotionRequestSummary>> SummariesAsync(IPortalDbContext db, IReadOnlyCollection<PromotionRequest> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var versionIds = rows.Select(r => r.VersionId).ToList();
        var projectIds = rows.Select(r => r.ProjectId).Distinct().ToList();
        var versions = await db.ArtifactVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Join(db.Artifacts, v => v.ArtifactId, a => a.Id, (v, a) => new { v.Id, v.Number, a.Name })
            .ToDictionaryAsync(v => v.Id, cancellationToken).ConfigureAwait(false);
        var slugs = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Slug, cancellationToken)
            .ConfigureAwait(false);
        var approvals = await db.PromotionReviews.AsNoTracking()
            .Where(r => ids.Contains(r.RequestId) && !r.Superseded && r.Decision == ReviewDecision.Approve)
            .GroupBy(r => r.RequestId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken).ConfigureAwait(false);
        var required = await db.ProtectedAliases.AsNoTracking().Where(a => projectIds.Contains(a.ProjectId))
            .Select(a => new { a.ProjectId, a.Name, a.RequiredApprovals }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await UserNamesAsync(rows.Select(r => r.RequestedByUserId), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new PromotionRequestSummary(
            slugs[r.ProjectId],
            r.Number,
            versions[r.VersionId].Name,
            versions[r.VersionId].Number,
            r.AliasName,
            r.Status,
            names.GetValueOrDefault(r.RequestedByUserId, "former user"),
            r.CreatedAt,
            r.UpdatedAt,
            approvals.GetValueOrDefault(r.Id),
            required.FirstOrDefault(a => a.ProjectId == r.ProjectId && a.Name == r.AliasName)?.RequiredApprovals ?? 1))];
    }

    /// <summary>Each required check of the alias's policy, judged against the candidate version.</summary>
    private static async Task<IReadOnlyList<PromotionCheckResult>> EvaluateChecksAsync(
        IPortalDbContext db, ProtectedAlias policy, PromotionRequest request, CancellationToken cancellationToken)
    {
        if (policy.Checks.Count == 0)
        {
            return [];
        }

        var version = await db.ArtifactVersions.AsNoTracking().FirstAsync(v => v.Id == request.VersionId, cancellationToken).ConfigureAwait(false);
        var results = new List<PromotionCheckResult>();
        foreach (var check in policy.Checks)
        {
            var spec = new PromotionCheckSpec(check.Kind, check.MetricKey, check.Threshold);
            if (check.Kind == PromotionCheckKind.TrainingDataStatisticsSucceeded)
            {
                var inputs = version.ProducedByRunId is { } runId
                    ? await db.RunInputs.AsNoTracking().Where(i => i.RunId == runId).Select(i => i.VersionId).ToListAsync(cancellationToken).ConfigureAwait(false)
                    : [];
                var succeeded = await db.AnalysisJobs.AsNoTracking()
                    .CountAsync(j => inputs.Contains(j.VersionId) && j.Kind == AnalysisKind.Statistics && j.Status == AnalysisStatus.Succeeded, cancellationToken)
                    .ConfigureAwait(false);
                results.Add(inputs.Count == 0
                    ? new PromotionCheckResult(spec.Describe(), false, "the version's run recorded no training data")
                    : new PromotionCheckResult(spec.Describe(), succeeded == inputs.Count, $"{succeeded} of {inputs.Count} input versions have statistics"));
                continue;
            }

            var value = await MetricValueAsync(db, version, check.MetricKey ?? "", cancellationToken).ConfigureAwait(false);
            var passed = value is { } v && check.Threshold is { } t && (check.Kind == PromotionCheckKind.MetricAtLeast ? v >= t : v <= t);
            results.Add(new PromotionCheckResult(spec.Describe(), passed,
                value is { } measured ? $"{check.MetricKey} = {measured.ToString("G6", CultureInfo.InvariantCulture)}" : $"no value for {check.MetricKey}"));
        }

        return results;
    }

    /// <summary>The candidate's own metadata value wins; otherwise the last value its run logged.</summary>
    private static async Task<double?> MetricValueAsync(IPortalDbContext db, ArtifactVersion version, string key, CancellationToken cancellationToken)
    {
        using (var metadata = JsonDocument.Parse(version.MetadataJson))
        {
            if (metadata.RootElement.ValueKind == JsonValueKind.Object && metadata.RootElement.TryGetProperty(key, out var element)
                && element.ValueKind == JsonValueKind.Number)
            {
                return element.GetDouble();
            }
        }

        return version.ProducedByRunId is { } runId
            ? await db.MetricSeries.AsNoTracking().Where(s => s.RunId == runId && s.Key == key).Select(s => s.Last).FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false)
            : null;
    }

    private static async Task<string?> ReviewBlockedReasonAsync(
        IPortalDbContext db, ProjectAccess access, ProtectedAlias policy, PromotionRequest request, string userId, CancellationToken cancellationToken)
    {
        if (request.RequestedByUserId == userId)
        {
            return "You asked for this promotion; someone else must review it.";
        }

        if (access.Token is { } token && !token.Allows(ProjectOperation.ApprovePromotion))
        {
            return "This access token may not approve promotions.";
        }

        return await MayReviewAsync(db, access.ProjectId, policy, userId, cancellationToken).ConfigureAwait(false)
            ? null
            : policy.Reviewers.Count > 0
                ? $"Only the named reviewers of '{policy.Name}' can review this request."
                : $"Only {policy.ReviewerRole}s and above can review requests for '{policy.Name}'.";
    }

    private static async Task<bool> MayReviewAsync(IPortalDbContext db, Guid projectId, ProtectedAlias policy, string userId, CancellationToken cancellationToken) =>
        policy.Reviewers.Count > 0
            ? MayReview(policy, userId, await TeamsOfAsync(db, userId, cancellationToken).ConfigureAwait(false), role: null)
            : MayReview(policy, userId, new HashSet<Guid>(), await ProjectAccessService.EffectiveRoleAsync(db, projectId, userId, cancellationToken).ConfigureAwait(false));

    /// <summary>Named reviewers (people or their teams) when the policy names any, else everyone with the reviewer role.</summary>
    private static bool MayReview(ProtectedAlias policy, string userId, IReadOnlySet<Guid> teams, ProjectRole? role) =>
        policy.Reviewers.Count > 0
            ? policy.Reviewers.Any(r => r.UserId == userId || (r.TeamId is { } team && teams.Contains(team)))
            : role >= policy.ReviewerRole;

    private static async Task<IReadOnlySet<Guid>> TeamsOfAsync(IPortalDbContext db, string userId, CancellationToken cancellationToken) =>
        (await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToHashSet();

    /// <summary>Everyone the policy lets review: named reviewers (and their teams' members), or members with the reviewer role.</summary>
    private static async Task<List<string>> ReviewerIdsAsync(IPortalDbContext db, Guid projectId, string alias, CancellationToken cancellationToken)
    {
        var policy = await PolicyAsync(db, projectId, alias, cancellationToken).ConfigureAwait(false);
        if (policy.Reviewers.Count > 0)
        {
            var teams = policy.Reviewers.Where(r => r.TeamId is not null).Select(r => r.TeamId!.Value).ToList();
            var teamMembers = await db.TeamMembers.Where(m => teams.Contains(m.TeamId)).Select(m => m.UserId).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. policy.Reviewers.Where(r => r.UserId is not null).Select(r => r.UserId!).Concat(teamMembers).Distinct()];
        }

        var direct = await db.ProjectMembers.Where(m => m.ProjectId == projectId && m.Role >= policy.ReviewerRole).Select(m => m.UserId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var viaTeams = await db.ProjectTeams.Where(t => t.ProjectId == projectId && t.Role >= policy.ReviewerRole)
            .Join(db.TeamMembers, t => t.TeamId, m => m.TeamId, (_, m) => m.UserId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. direct.Concat(viaTeams).Distinct()];
    }

    private static async Task<ProtectedAlias> PolicyAsync(IPortalDbContext db, Guid projectId, string alias, CancellationToken cancellationToken) =>
        await db.ProtectedAliases.AsNoTracking().Include(a => a.Reviewers).Include(a => a.Checks).AsSingleQuery()
            .FirstOrDefaultAsync(a => a.ProjectId == projectId && a.Name == alias, cancellationToken).ConfigureAwait(false)
        ?? DefaultPolicy(projectId, alias);

    // The alias was unprotected after the request was made: the default policy still needs a Maintainer's approval.
    private static ProtectedAlias DefaultPolicy(Guid projectId, string alias) => new() { ProjectId = projectId, Name = alias };

    private static async Task<Guid?> HolderAsync(IPortalDbContext db, Guid artifactId, string alias, CancellationToken cancellationToken) =>
        await db.ArtifactAliases.AsNoTracking().Where(a => a.ArtifactId == artifactId && a.Name == alias).Select(a => (Guid?)a.VersionId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private static async Task<string> ArtifactNameAsync(IPortalDbContext db, Guid artifactId, CancellationToken cancellationToken) =>
        await db.Artifacts.AsNoTracking().Where(a => a.Id == artifactId).Select(a => a.Name).FirstAsync(cancellationToken).ConfigureAwait(false);

    private static async Task<PromotionRequest> FindAsync(IPortalDbContext db, ProjectAccess access, int number, bool tracking, CancellationToken cancellationToken)
    {
        var requests = tracking ? db.PromotionRequests : db.PromotionRequests.AsNoTracking();
        return await requests.FirstOrDefaultAsync(r => r.ProjectId == access.ProjectId && r.Number == number, cancellationToken).ConfigureAwait(false)
            ?? throw new PortalNotFoundException($"There is no promotion request #{number} in {access.Slug}.");
    }

    private static async Task SaveOrConflictAsync(IPortalDbContext db, PromotionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PortalConflictException($"Request #{request.Number} changed while you were looking at it; reload and try again.");
        }
    }

    private static void DemandOpen(PromotionRequest request, string verb)
    {
        if (request.Status != PromotionStatus.Open)
        {
            throw new PortalConflictException(request.Status == PromotionStatus.Stale
                ? $"Request #{request.Number} is stale: the alias moved since it was made. Re-open it to review it against the new holder."
                : $"Request #{request.Number} is {Describe(request.Status)}; it cannot be {verb}.");
        }
    }

    private static void Close(PromotionRequest request, PromotionStatus status, string userId, DateTimeOffset now)
    {
        request.Status = status;
        request.ClosedAt = now;
        request.ClosedByUserId = userId;
        request.UpdatedAt = now;
        request.ConcurrencyStamp = Guid.NewGuid();
    }

    private static string RequireText(string? text, string what)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length switch
        {
            0 => throw new PortalRequestException($"A {what} is required."),
            > MaxTextLength => throw new PortalRequestException($"The {what} is longer than {MaxTextLength} characters."),
            _ => trimmed,
        };
    }

    public static string Describe(PromotionStatus status) => status switch
    {
        PromotionStatus.Open => "open",
        PromotionStatus.Approved => "approved",
        PromotionStatus.Rejected => "rejected",
        PromotionStatus.Withdrawn => "withdrawn",
        _ => "stale",
    };

    public static string RequestUrl(string slug, int number) => $"/p/{slug}/promotions/{number}";

    private static object Payload(string slug, string model, PromotionRequest request, int version) => new
    {
        project = slug,
        model,
        alias = request.AliasName,
        version,
        request = request.Number,
        status = request.Status.ToString().ToLowerInvariant(),
    };

    private async Task<IReadOnlyDictionary<string, string>> UserNamesAsync(IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.OfType<string>().Distinct().ToList();
        var found = await users.GetAsync(distinct, cancellationToken).ConfigureAwait(false);
        return found.ToDictionary(p => p.Key, p => p.Value.UserName);
    }
}

public sealed record PagedPromotions(IReadOnlyList<PromotionRequestSummary> Items, int Total);
