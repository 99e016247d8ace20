using System.Security.Claims;
using ArtifactPortal.Core.Analysis;
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
/// <param name="TrainingData">The datasets the two versions' runs read, paired by artifact; empty without a holder.</param>
public sealed record PromotionComparisonView(
    PromotionRequestDetails Request, ComparedVersion Candidate, ComparedVersion? Holder, IReadOnlyList<TrainingDataDrift> TrainingData);

public enum TrainingDataState
{
    /// <summary>Both runs read the same version: nothing drifted.</summary>
    SameVersion,

    /// <summary>Different versions with statistics on both sides: <see cref="TrainingDataDrift.Comparison"/> is set.</summary>
    Compared,

    /// <summary>A statistics job of either version is queued or running.</summary>
    StatisticsPending,

    /// <summary>Either version has no statistics (failed, never computed, or no tabular files).</summary>
    StatisticsMissing,

    OnlyCandidate,
    OnlyHolder,
}

/// <summary>One training dataset of the candidate's run against the same dataset of the holder's run (the baseline).</summary>
/// <param name="Detail">Why there is no comparison, in a sentence, when <paramref name="State"/> is not Compared.</param>
public sealed record TrainingDataDrift(
    string Artifact,
    int? CandidateVersion,
    int? HolderVersion,
    TrainingDataState State,
    StatisticsComparison? Comparison,
    string? Detail);

/// <summary>Read-only: what a reviewer needs to compare the candidate of a promotion request with the current holder.</summary>
public sealed class PromotionComparison(
    IPortalDbContextFactory dbFactory, ProjectAccessService projects, PromotionService promotions, ArtifactService artifacts, AnalysisService analysis)
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
        var trainingData = holder is null
            ? []
            : await TrainingDataAsync(user, db, access, candidate.ProducedByRunId, holder.ProducedByRunId, cancellationToken).ConfigureAwait(false);
        return new PromotionComparisonView(
            request,
            new ComparedVersion(candidate, await RunAsync(db, access.ProjectId, candidate.ProducedByRunId, cancellationToken).ConfigureAwait(false)),
            holder is null ? null : new ComparedVersion(holder, await RunAsync(db, access.ProjectId, holder.ProducedByRunId, cancellationToken).ConfigureAwait(false)),
            trainingData);
    }

    /// <summary>Datasets read by either run, paired by artifact, with the statistics drift of the candidate's data against the holder's.</summary>
    private async Task<IReadOnlyList<TrainingDataDrift>> TrainingDataAsync(
        ClaimsPrincipal user, IPortalDbContext db, ProjectAccess access, Guid? candidateRunId, Guid? holderRunId, CancellationToken cancellationToken)
    {
        var candidate = await DatasetsAsync(db, access.ProjectId, candidateRunId, cancellationToken).ConfigureAwait(false);
        var holder = await DatasetsAsync(db, access.ProjectId, holderRunId, cancellationToken).ConfigureAwait(false);
        var result = new List<TrainingDataDrift>();
        foreach (var name in candidate.Keys.Union(holder.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            int? mine = candidate.TryGetValue(name, out var c) ? c : null;
            int? theirs = holder.TryGetValue(name, out var h) ? h : null;
            result.Add((mine, theirs) switch
            {
                (null, _) => new TrainingDataDrift(name, null, theirs, TrainingDataState.OnlyHolder, null, "Only the current holder's run read this dataset."),
                (_, null) => new TrainingDataDrift(name, mine, null, TrainingDataState.OnlyCandidate, null, "Only the candidate's run read this dataset."),
                _ when mine == theirs => new TrainingDataDrift(name, mine, theirs, TrainingDataState.SameVersion, null, $"Both were trained on v{mine}."),
                _ => await DriftAsync(user, access.Slug, name, mine!.Value, theirs!.Value, cancellationToken).ConfigureAwait(false),
            });
        }

        return result;
    }

    private async Task<TrainingDataDrift> DriftAsync(
        ClaimsPrincipal user, string slug, string name, int candidateVersion, int holderVersion, CancellationToken cancellationToken)
    {
        var current = await analysis.GetStatisticsAsync(user, slug, name, $"v{candidateVersion}", cancellationToken).ConfigureAwait(false);
        var baseline = await analysis.GetStatisticsAsync(user, slug, name, $"v{holderVersion}", cancellationToken).ConfigureAwait(false);
        TrainingDataDrift Without(TrainingDataState state, string detail) => new(name, candidateVersion, holderVersion, state, null, detail);
        if (current.Jobs.Concat(baseline.Jobs).Any(j => j.Kind == AnalysisKind.Statistics && j.IsActive))
        {
            return Without(TrainingDataState.StatisticsPending, "Statistics are still being computed; reload the page in a moment.");
        }

        if (current.TabularFiles.Count == 0 || baseline.TabularFiles.Count == 0)
        {
            return Without(TrainingDataState.StatisticsMissing, "No tabular files to compute statistics of.");
        }

        var comparison = AnalysisService.Compare(baseline, current);
        return comparison.Files.Count == 0
            ? Without(TrainingDataState.StatisticsMissing, "Statistics are missing for one of the versions (failed or never computed).")
            : new TrainingDataDrift(name, candidateVersion, holderVersion, TrainingDataState.Compared, comparison, null);
    }

    /// <summary>Dataset artifact name → version number read by the run (the newest when it read several versions of one).</summary>
    private static async Task<Dictionary<string, int>> DatasetsAsync(IPortalDbContext db, Guid projectId, Guid? runId, CancellationToken cancellationToken)
    {
        if (runId is not { } id)
        {
            return new(StringComparer.Ordinal);
        }

        var inputs = await db.RunInputs.AsNoTracking().Where(i => i.RunId == id)
            .Join(db.ArtifactVersions, i => i.VersionId, v => v.Id, (i, v) => new { v.ArtifactId, v.Number })
            .Join(db.Artifacts.Where(a => a.ProjectId == projectId && a.Type == ArtifactType.Dataset), x => x.ArtifactId, a => a.Id, (x, a) => new { a.Name, x.Number })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return inputs.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(i => i.Number), StringComparer.Ordinal);
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
