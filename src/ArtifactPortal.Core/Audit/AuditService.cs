using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Audit;

/// <summary>Filters of the audit pages and CSV exports; every part is optional.</summary>
/// <param name="Actor">Part of the actor's user name, any case.</param>
/// <param name="Action">One action name from <see cref="AuditActions"/>.</param>
/// <param name="From">Inclusive.</param>
/// <param name="To">Exclusive.</param>
public sealed record AuditFilter(string? Actor = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>One audit entry as the pages show it; the project columns are filled on the site-wide log.</summary>
public sealed record AuditRow(
    Guid Id,
    DateTimeOffset OccurredAt,
    string ActorName,
    string Action,
    string Target,
    string Details,
    string? IpAddress,
    Guid? ProjectId,
    string? ProjectName,
    string? ProjectSlug,
    bool ProjectDeleted);

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int TotalCount);

/// <summary>Reads the audit log: one project's (Maintainer and up) or the whole site's (site administrators).</summary>
public sealed class AuditService(IPortalDbContextFactory dbFactory, ProjectAccessService access, IAuthorizationService authorization)
{
    /// <summary>Every action name, for the filter list.</summary>
    public static IReadOnlyList<string> KnownActions { get; } =
        [.. typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)];

    /// <summary>One page of a project's log, newest first; ProjectNotFoundException for outsiders, PortalAccessDeniedException below Maintainer.</summary>
    public async Task<AuditPage> ListForProjectAsync(
        ClaimsPrincipal user, string slug, AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.ViewAuditLog, cancellationToken).ConfigureAwait(false);
        return await PageAsync(project.ProjectId, filter, skip, take, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A project's whole filtered log for export. Checks the caller before it returns, so an endpoint can answer 404/403
    /// before it starts writing.
    /// </summary>
    public async Task<IAsyncEnumerable<AuditRow>> ExportForProjectAsync(
        ClaimsPrincipal user, string slug, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        var project = await access.DemandAsync(user, slug, ProjectOperation.ViewAuditLog, cancellationToken).ConfigureAwait(false);
        return StreamAsync(project.ProjectId, filter, cancellationToken);
    }

    /// <summary>One page of the site-wide log, every project included (site administrators only).</summary>
    public async Task<AuditPage> ListSiteWideAsync(ClaimsPrincipal user, AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        return await PageAsync(projectId: null, filter, skip, take, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IAsyncEnumerable<AuditRow>> ExportSiteWideAsync(ClaimsPrincipal user, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(user).ConfigureAwait(false);
        return StreamAsync(projectId: null, filter, cancellationToken);
    }

    private async Task<AuditPage> PageAsync(Guid? projectId, AuditFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entries = Filtered(db, projectId, filter);
        (skip, take) = (Math.Max(0, skip), Math.Clamp(take, 1, 500));
        var rows = await Rows(db, entries).Skip(skip).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        var total = await Paging.TotalAsync(entries, skip, take, rows.Count, cancellationToken).ConfigureAwait(false);
        return new AuditPage(rows, total);
    }

    private async IAsyncEnumerable<AuditRow> StreamAsync(Guid? projectId, AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in Rows(db, Filtered(db, projectId, filter)).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    private static IQueryable<AuditEntry> Filtered(IPortalDbContext db, Guid? projectId, AuditFilter filter)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (projectId is not null)
        {
            entries = entries.Where(e => e.ProjectId == projectId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower(); the culture overloads are not translatable.
            entries = entries.Where(e => e.ActorName.ToLower().Contains(actor));
#pragma warning restore CA1304, CA1311, CA1862
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            entries = entries.Where(e => e.Action == action);
        }

        if (filter.From is { } from)
        {
            // Stored in UTC; SQLite's binary encoding only orders values with the same offset.
            from = from.ToUniversalTime();
            entries = entries.Where(e => e.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            to = to.ToUniversalTime();
            entries = entries.Where(e => e.OccurredAt < to);
        }

        return entries;
    }

    private static IQueryable<AuditRow> Rows(IPortalDbContext db, IQueryable<AuditEntry> entries) =>
        entries
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.Id)
            .Select(e => new AuditRow(
                e.Id,
                e.OccurredAt,
                e.ActorName,
                e.Action,
                e.Target,
                e.Details,
                e.IpAddress,
                e.ProjectId,
                // The log outlives projects: deleted ones still have a name, purged ones none.
                db.Projects.IgnoreQueryFilters().Where(p => p.Id == e.ProjectId).Select(p => p.Name).FirstOrDefault(),
                db.Projects.IgnoreQueryFilters().Where(p => p.Id == e.ProjectId).Select(p => p.Slug).FirstOrDefault(),
                db.Projects.IgnoreQueryFilters().Any(p => p.Id == e.ProjectId && p.DeletedAt != null)));

    private async Task DemandAdministratorAsync(ClaimsPrincipal user)
    {
        var result = await authorization.AuthorizeAsync(user, PortalPolicies.SiteAdministrator).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PortalAccessDeniedException("Only site administrators read the site-wide audit log.");
        }
    }
}
