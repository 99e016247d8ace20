using System.Security.Claims;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Models;

/// <summary>One side of the comparison: the version and what the run that produced it recorded (null without a run).</summary>
public sealed record ComparedVersion(ArtifactVersionDetails Version, ComparedRun? Run);

/// <param name="Metrics">Metric key → last logged value.</param>
/// <param name="TrainingData">Versions the run read, as identifiers (project/artifact:vN).</param>
public sealed record ComparedRun(
    string Name,
    int Number,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, double?> Metrics,
    IReadOnlyList<string> TrainingData);

/// <summary>A request with its candidate and the version holding the alias now (before the move, once approved), side by side.</summary>
public sealed record PromotionComparisonView(PromotionRequestDetails Request, ComparedVersion Candidate, ComparedVersion? Holder);

/// <summary>Read-only: what a reviewer needs to compare the candidate of a promotion request with the current holder.</summary>
public sealed class PromotionComparison(
    IPortalDbContextFactory dbFactory, ProjectAccessService projects, PromotionService promotions, ArtifactService artifacts)
{
    public async Task<PromotionComparisonView> GetAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        var request = await promotions.GetAsync(user, access.Slug, number, cancellationToken).ConfigureAwait(false);
        var model = request.Summary.Model;
        var candidate = await artifacts.GetVersionAsync(user, access.Slug, model, $"v{request.Summary.Version}", cancellationToken).ConfigureAwait(false);
        // Once approved the candidate holds the alias: compare it with the version it replaced.
        var compareWith = request.Summary.Status == PromotionStatus.Approved ? request.BaseVersion : request.CurrentHolderVersion;
        var holder = compareWith is { } current && current != request.Summary.Version
            ? await artifacts.GetVersionAsync(user, access.Slug, model, $"v{current}", cancellationToken).ConfigureAwait(false)
            : null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return new PromotionComparisonView(
            request,
            new ComparedVersion(candidate, await RunAsync(db, access.ProjectId, candidate.ProducedByRunId, cancellationToken).ConfigureAwait(false)),
            holder is null ? null : new ComparedVersion(holder, await RunAsync(db, access.ProjectId, holder.ProducedByRunId, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<ComparedRun?> RunAsync(IPortalDbContext db, Guid projectId, Guid? runId, CancellationToken cancellationToken)
    {
        if (runId is not { } id)
        {
            return null;
        }

        // Only runs of this project: a version's run id must not reveal another project's run.
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == id && r.ProjectId == projectId).Select(r => new { r.Name, r.Number })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        var parameters = await db.RunParams.AsNoTracking().Where(p => p.RunId == id).ToDictionaryAsync(p => p.Key, p => p.Value, cancellationToken)
            .ConfigureAwait(false);
        var metrics = await db.MetricSeries.AsNoTracking().Where(m => m.RunId == id).ToDictionaryAsync(m => m.Key, m => m.Last, cancellationToken)
            .ConfigureAwait(false);
        var inputs = await db.RunInputs.AsNoTracking().Where(i => i.RunId == id)
            .Join(db.ArtifactVersions, i => i.VersionId, v => v.Id, (i, v) => new { v.ArtifactId, v.Number })
            .Join(db.Artifacts.Where(a => a.ProjectId == projectId), x => x.ArtifactId, a => a.Id, (x, a) => new { a.Name, x.Number })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new ComparedRun(run.Name, run.Number, parameters, metrics,
            [.. inputs.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"{i.Name}:v{i.Number}")]);
    }
}
