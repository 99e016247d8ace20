using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Models;

public sealed record ProtectedAliasInput(
    string Name,
    int RequiredApprovals,
    ProjectRole ReviewerRole,
    IReadOnlyList<string>? ReviewerUserNames,
    IReadOnlyList<string>? ReviewerTeams,
    IReadOnlyList<PromotionCheckSpec>? Checks);

/// <summary>The project's list of protected aliases and each one's approval policy (Maintainers edit it).</summary>
public sealed class ProtectedAliasService(
    IPortalDbContextFactory dbFactory, ProjectAccessService projects, IUserDirectory users, AuditLog audit)
{
    public const int MaxApprovals = 10;

    public async Task<IReadOnlyList<ProtectedAliasPolicy>> ListAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListAsync(access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The policies for a caller whose access the page already looked up.</summary>
    public async Task<IReadOnlyList<ProtectedAliasPolicy>> ListAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var aliases = await db.ProtectedAliases.AsNoTracking().Include(a => a.Reviewers).Include(a => a.Checks).AsSingleQuery()
            .Where(a => a.ProjectId == access.ProjectId).OrderBy(a => a.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var userIds = aliases.SelectMany(a => a.Reviewers).Where(r => r.UserId is not null).Select(r => r.UserId!).Distinct().ToList();
        var names = await users.GetAsync(userIds, cancellationToken).ConfigureAwait(false);
        var teamIds = aliases.SelectMany(a => a.Reviewers).Where(r => r.TeamId is not null).Select(r => r.TeamId!.Value).Distinct().ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken)
            .ConfigureAwait(false);
        return [.. aliases.Select(a => new ProtectedAliasPolicy(
            a.Name,
            a.RequiredApprovals,
            a.ReviewerRole,
            [.. a.Reviewers.Where(r => r.UserId is not null).Select(r => names.TryGetValue(r.UserId!, out var u) ? u.UserName : "former user")],
            [.. a.Reviewers.Where(r => r.TeamId is not null).Select(r => teams.GetValueOrDefault(r.TeamId!.Value, "deleted team"))],
            [.. a.Checks.Select(c => new PromotionCheckSpec(c.Kind, c.MetricKey, c.Threshold))]))];
    }

    /// <summary>How many of the project's models have a version holding the alias now (they keep it when protection changes).</summary>
    public async Task<int> CountModelsHoldingAsync(ClaimsPrincipal user, string slug, string alias, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        var name = alias.Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ArtifactAliases.AsNoTracking()
            .CountAsync(a => a.Name == name && db.Artifacts.Any(x => x.Id == a.ArtifactId && x.ProjectId == access.ProjectId && x.Type == ArtifactType.Model),
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Protects the alias (or replaces its policy).</summary>
    public async Task SetAsync(ClaimsPrincipal user, string slug, ProtectedAliasInput input, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false);
        var name = input.Name?.Trim().ToLowerInvariant() ?? "";
        if (ArtifactNames.AliasError(name) is { } error)
        {
            throw new PortalRequestException(error);
        }

        if (name == ArtifactNames.Latest)
        {
            throw new PortalRequestException("'latest' moves with every commit and cannot be protected.");
        }

        if (input.RequiredApprovals is < 1 or > MaxApprovals)
        {
            throw new PortalRequestException($"Required approvals must be between 1 and {MaxApprovals}.");
        }

        if (input.ReviewerRole is < ProjectRole.Editor or > ProjectRole.Owner)
        {
            throw new PortalRequestException("Reviewers must be Editors, Maintainers or Owners.");
        }

        var checks = input.Checks ?? [];
        foreach (var check in checks)
        {
            if (check.Kind != PromotionCheckKind.TrainingDataStatisticsSucceeded
                && (string.IsNullOrWhiteSpace(check.MetricKey) || check.Threshold is null || !double.IsFinite(check.Threshold.Value)))
            {
                throw new PortalRequestException("A metric check needs a metric name and a finite threshold.");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var reviewers = new List<ProtectedAliasReviewer>();
        foreach (var userName in (input.ReviewerUserNames ?? []).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var person = await users.FindByUserNameOrEmailAsync(userName, cancellationToken).ConfigureAwait(false)
                ?? throw new PortalRequestException($"There is no user '{userName}'.");
            reviewers.Add(new ProtectedAliasReviewer { UserId = person.Id });
        }

        foreach (var teamName in (input.ReviewerTeams ?? []).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            // Team names follow the project URL rules: lower case.
            var normalized = teamName.Trim().ToLowerInvariant();
            var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Name == normalized, cancellationToken).ConfigureAwait(false)
                ?? throw new PortalRequestException($"There is no team '{teamName}'.");
            reviewers.Add(new ProtectedAliasReviewer { TeamId = team.Id });
        }

        var existing = await db.ProtectedAliases.Include(a => a.Reviewers).Include(a => a.Checks).AsSingleQuery()
            .FirstOrDefaultAsync(a => a.ProjectId == access.ProjectId && a.Name == name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            existing = new ProtectedAlias { Id = Guid.NewGuid(), ProjectId = access.ProjectId, Name = name };
            db.ProtectedAliases.Add(existing);
        }

        existing.RequiredApprovals = input.RequiredApprovals;
        existing.ReviewerRole = input.ReviewerRole;
        // New children get their keys from EF on save, so it inserts them; a preset key would make EF update missing rows.
        existing.Reviewers.Clear();
        existing.Reviewers.AddRange(reviewers);
        existing.Checks.Clear();
        existing.Checks.AddRange(checks.Select(c => new PromotionCheck { Kind = c.Kind, MetricKey = c.MetricKey?.Trim(), Threshold = c.Threshold }));
        audit.Record(db, user, AuditActions.ProtectedAliasPolicyChanged, access.ProjectId, name,
            $"{input.RequiredApprovals} approval(s) by {(reviewers.Count > 0 ? "named reviewers" : input.ReviewerRole + "s")}" +
            (checks.Count > 0 ? "; checks: " + string.Join(", ", checks.Select(c => c.Describe())) : ""));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the alias free again; open requests for it stay and can still be approved or withdrawn.</summary>
    public async Task RemoveAsync(ClaimsPrincipal user, string slug, string name, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.EditSettings, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = name.Trim().ToLowerInvariant();
        var existing = await db.ProtectedAliases.FirstOrDefaultAsync(a => a.ProjectId == access.ProjectId && a.Name == normalized, cancellationToken)
            .ConfigureAwait(false) ?? throw new PortalNotFoundException($"'{name}' is not protected in {access.Slug}.");
        db.ProtectedAliases.Remove(existing);
        audit.Record(db, user, AuditActions.ProtectedAliasPolicyChanged, access.ProjectId, normalized, "no longer protected");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
