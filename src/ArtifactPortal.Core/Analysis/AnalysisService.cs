using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Core.Thumbnails;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Core.Analysis;

/// <summary>
/// Statistics and thumbnail jobs of versions: queued after each commit, re-run by Editors, and their results. Every
/// method that takes a user checks the caller's project permissions itself.
/// </summary>
public sealed partial class AnalysisService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    ArtifactService artifacts,
    IFileStatisticsCalculator statistics,
    IThumbnailer thumbnailer,
    IAnalysisJobScheduler scheduler,
    TimeProvider time,
    ILogger<AnalysisService> logger) : IVersionCommittedHandler
{
    /// <summary>Queues the jobs a new version's files call for; a failure is logged, never undoes the commit.</summary>
    public async Task OnCommittedAsync(Guid versionId, CancellationToken cancellationToken)
    {
        try
        {
            var plan = await PlanAsync(versionId, cancellationToken).ConfigureAwait(false);
            await QueueAsync(versionId, plan.Kinds, requestedByUserId: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCommitHookFailed(e, versionId);
        }
    }

    /// <summary>Queues one kind of analysis again (Editor and up); refused while that job is queued or running.</summary>
    public async Task<AnalysisJobStatus> RerunAsync(
        ClaimsPrincipal user, string slug, string name, string reference, AnalysisKind kind, CancellationToken cancellationToken = default)
    {
        var (_, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        Guid versionId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
            if (version.DeletedAt is not null)
            {
                throw new PortalConflictException($"v{version.Number} was deleted; there is nothing to analyse.");
            }

            versionId = version.Id;
            var active = await db.AnalysisJobs.AsNoTracking()
                .AnyAsync(j => j.VersionId == versionId && j.Kind == kind && (j.Status == AnalysisStatus.Queued || j.Status == AnalysisStatus.Running),
                    cancellationToken)
                .ConfigureAwait(false);
            if (active)
            {
                throw new PortalConflictException($"The {Describe(kind)} job of v{version.Number} is already queued or running.");
            }
        }

        var plan = await PlanAsync(versionId, cancellationToken).ConfigureAwait(false);
        if (!plan.Kinds.Contains(kind))
        {
            throw new PortalRequestException(kind == AnalysisKind.Statistics
                ? "This version has no tabular files (CSV, TSV, Parquet, JSON Lines) to compute statistics of."
                : "This version has no images or tabular files to make thumbnails of.");
        }

        await QueueAsync(versionId, [kind], user.UserId(), cancellationToken).ConfigureAwait(false);
        await using var read = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return ToStatus(await read.AnalysisJobs.AsNoTracking().FirstAsync(j => j.VersionId == versionId && j.Kind == kind, cancellationToken)
            .ConfigureAwait(false));
    }

    /// <summary>The version's jobs; cheap enough for pages to poll while a job is queued or running.</summary>
    public async Task<IReadOnlyList<AnalysisJobStatus>> GetJobsAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var (_, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        return await JobsAsync(db, version.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The jobs of the version with this artifact and number, only while the artifact is still in the caller's project. Every
    /// version page and the strip's polling run it, so it is compiled: as LINQ it evaluated the captured context per call.
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, Guid, Guid, int, IAsyncEnumerable<AnalysisJob>>> JobsOf = new(() =>
        EF.CompileAsyncQuery((DbContext db, Guid projectId, Guid artifactId, int number) => db.Set<AnalysisJob>()
            .AsNoTracking()
            .Where(j => db.Set<ArtifactVersion>()
                .Where(v => v.ArtifactId == artifactId && v.Number == number && db.Set<Artifact>().Any(a => a.Id == artifactId && a.ProjectId == projectId))
                .Select(v => v.Id)
                .Contains(j.VersionId))));

    /// <summary>The jobs of a version the page already loaded with <paramref name="access"/>: one query.</summary>
    public async Task<IReadOnlyList<AnalysisJobStatus>> GetJobsAsync(ProjectAccess access, ArtifactVersionDetails version, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var jobs = await JobsOf.For(db)((DbContext)db, access.ProjectId, version.ArtifactId, version.Version.Number).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. jobs.OrderBy(j => j.Kind).Select(ToStatus)];
    }

    public async Task<VersionStatistics> GetStatisticsAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        var jobs = await JobsAsync(db, version.Id, cancellationToken).ConfigureAwait(false);
        var files = await FilesAsync(db, version.Id, cancellationToken).ConfigureAwait(false);
        var rows = await db.VersionFileStatistics.AsNoTracking().Where(s => s.VersionId == version.Id).OrderBy(s => s.Path)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new VersionStatistics(
            access.Slug,
            artifact.Name,
            version.Number,
            jobs,
            [.. AnalysisPlan.For(files, statistics, thumbnailer).TabularFiles.Select(f => f.Path)],
            [.. rows.Select(r => new FileStatisticsResult(r.Path, r.StatisticsJson is { } json ? FileStatisticsJson.Deserialize(json) : null, r.Error, r.ComputedAt))]);
    }

    /// <summary>Drift of <paramref name="reference"/> against the baseline <paramref name="baselineReference"/>, file by file.</summary>
    public async Task<StatisticsComparison> CompareAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string baselineReference, CancellationToken cancellationToken = default)
    {
        var current = await GetStatisticsAsync(user, slug, name, reference, cancellationToken).ConfigureAwait(false);
        var baseline = await GetStatisticsAsync(user, slug, name, baselineReference, cancellationToken).ConfigureAwait(false);
        return Compare(baseline, current);
    }

    /// <summary>Drift of <paramref name="current"/> against <paramref name="baseline"/>, for callers that already loaded both.</summary>
    public static StatisticsComparison Compare(VersionStatistics baseline, VersionStatistics current)
    {
        var before = baseline.Files.Where(f => f.Statistics is not null).ToList();
        var after = current.Files.Where(f => f.Statistics is not null).ToList();
        var pairs = after.Select(f => (Current: f, Baseline: before.FirstOrDefault(b => b.Path == f.Path)))
            .Where(p => p.Baseline is not null)
            .ToList();
        if (pairs.Count == 0 && before.Count == 1 && after.Count == 1)
        {
            // data-2024.csv against data-2025.csv: one table each is the same table renamed.
            pairs.Add((after[0], before[0]));
        }

        return new StatisticsComparison(
            baseline.VersionNumber,
            current.VersionNumber,
            [.. pairs.Select(p => StatisticsDrift.Compare(p.Baseline!.Path, p.Baseline.Statistics!, p.Current.Path, p.Current.Statistics!))]);
    }

    public async Task<IReadOnlyList<ThumbnailEntry>> GetThumbnailsAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var (_, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        return await db.VersionThumbnails.AsNoTracking().Where(t => t.VersionId == version.Id)
            .OrderBy(t => t.Path).ThenBy(t => t.Size)
            .Select(t => new ThumbnailEntry(t.Path, t.Size, t.Sha256))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The thumbnails of a version, compiled like <see cref="JobsOf"/>; its version rule is JobsOf's, a change there belongs here too.</summary>
    private static readonly CompiledQuery<Func<DbContext, Guid, Guid, int, IAsyncEnumerable<ThumbnailEntry>>> ThumbnailsOf = new(() =>
        EF.CompileAsyncQuery((DbContext db, Guid projectId, Guid artifactId, int number) => db.Set<VersionThumbnail>()
            .AsNoTracking()
            .Where(t => db.Set<ArtifactVersion>()
                .Where(v => v.ArtifactId == artifactId && v.Number == number && db.Set<Artifact>().Any(a => a.Id == artifactId && a.ProjectId == projectId))
                .Select(v => v.Id)
                .Contains(t.VersionId))
            .OrderBy(t => t.Path).ThenBy(t => t.Size)
            .Select(t => new ThumbnailEntry(t.Path, t.Size, t.Sha256))));

    /// <summary>The thumbnails of a version the page already loaded with <paramref name="access"/>: one query.</summary>
    public async Task<IReadOnlyList<ThumbnailEntry>> GetThumbnailsAsync(ProjectAccess access, ArtifactVersionDetails version, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await ThumbnailsOf.For(db)((DbContext)db, access.ProjectId, version.ArtifactId, version.Version.Number).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The covers of the latest versions of the given artifacts of the project; artifacts without one are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, ArtifactCover>> GetCoversAsync(
        ClaimsPrincipal user, string slug, IReadOnlyCollection<Guid> artifactIds, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await GetCoversAsync(access, artifactIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The covers for a caller whose access the page already looked up.</summary>
    public async Task<IReadOnlyDictionary<Guid, ArtifactCover>> GetCoversAsync(
        ProjectAccess access, IReadOnlyCollection<Guid> artifactIds, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var ids = artifactIds.ToList();
        var covers = await db.ArtifactAliases.AsNoTracking()
            .Where(a => ids.Contains(a.ArtifactId) && a.Name == ArtifactNames.Latest
                && db.Artifacts.Any(x => x.Id == a.ArtifactId && x.ProjectId == access.ProjectId))
            .Join(db.VersionThumbnails.Where(t => t.Path == ""), a => a.VersionId, t => t.VersionId, (a, t) => new { a.ArtifactId, t.Size, t.Sha256 })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return covers.GroupBy(c => c.ArtifactId).ToDictionary(
            g => g.Key,
            g => new ArtifactCover(g.Key, g.OrderBy(c => c.Size).First().Sha256, g.OrderByDescending(c => c.Size).First().Sha256));
    }

    /// <summary>Whether the caller may see the thumbnail: its hash belongs to a live version of the project.</summary>
    public async Task<bool> CanSeeThumbnailAsync(ClaimsPrincipal user, string slug, string sha256, CancellationToken cancellationToken = default)
    {
        if (await projects.FindAsync(user, slug, cancellationToken).ConfigureAwait(false) is not { } access)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.VersionThumbnails.AsNoTracking()
            .AnyAsync(t => t.Sha256 == sha256 && db.ArtifactVersions.Any(v => v.Id == t.VersionId && v.DeletedAt == null
                && db.Artifacts.Any(a => a.Id == v.ArtifactId && a.ProjectId == access.ProjectId)), cancellationToken)
            .ConfigureAwait(false);
    }

    public static string Describe(AnalysisKind kind) => kind == AnalysisKind.Statistics ? "statistics" : "thumbnail";

    private async Task<AnalysisPlan> PlanAsync(Guid versionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return AnalysisPlan.For(await FilesAsync(db, versionId, cancellationToken).ConfigureAwait(false), statistics, thumbnailer);
    }

    /// <summary>Resets (or creates) the one row per version and kind, then hands the jobs to the queue.</summary>
    private async Task QueueAsync(Guid versionId, IReadOnlyList<AnalysisKind> kinds, string? requestedByUserId, CancellationToken cancellationToken)
    {
        if (kinds.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.AnalysisJobs.Where(j => j.VersionId == versionId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var rows = new List<AnalysisJob>();
        foreach (var kind in kinds)
        {
            var job = existing.FirstOrDefault(j => j.Kind == kind);
            if (job is null)
            {
                job = new AnalysisJob { Id = Guid.CreateVersion7(now), VersionId = versionId, Kind = kind };
                db.AnalysisJobs.Add(job);
            }

            job.Status = AnalysisStatus.Queued;
            job.Progress = 0;
            job.Error = null;
            job.QueuedAt = now;
            job.StartedAt = null;
            job.FinishedAt = null;
            job.Attempts = 0;
            job.HangfireJobId = null;
            job.RequestedByUserId = requestedByUserId;
            rows.Add(job);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        string? statisticsJob = null;
        foreach (var job in rows)
        {
            try
            {
                // The chart thumbnail of a table is drawn from its statistics, so it waits for them.
                job.HangfireJobId = scheduler.Enqueue(versionId, job.Kind, job.Kind == AnalysisKind.Thumbnail ? statisticsJob : null);
                statisticsJob = job.Kind == AnalysisKind.Statistics ? job.HangfireJobId : statisticsJob;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogQueueFailed(e, job.Kind, versionId);
                job.Status = AnalysisStatus.Failed;
                job.Error = $"The job could not be queued ({e.Message}); re-run it later.";
                job.FinishedAt = time.GetUtcNow();
            }
        }

        // Only the changed columns are written, so a job that already started keeps its Running state.
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<List<ArtifactFileEntry>> FilesAsync(IPortalDbContext db, Guid versionId, CancellationToken cancellationToken) =>
        await db.ArtifactFiles.AsNoTracking().Where(f => f.VersionId == versionId)
            .Select(f => new ArtifactFileEntry(f.Path, f.Size, f.Sha256, f.MediaType))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

    private static async Task<IReadOnlyList<AnalysisJobStatus>> JobsAsync(IPortalDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        var jobs = await db.AnalysisJobs.AsNoTracking().Where(j => j.VersionId == versionId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. jobs.OrderBy(j => j.Kind).Select(ToStatus)];
    }

    private static AnalysisJobStatus ToStatus(AnalysisJob j) =>
        new(j.Kind, j.Status, j.Progress, j.Error, j.QueuedAt, j.StartedAt, j.FinishedAt, j.Attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not plan the analysis of version {VersionId}; Editors can re-run it from the version page.")]
    private partial void LogCommitHookFailed(Exception exception, Guid versionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not queue the {Kind} job of version {VersionId}.")]
    private partial void LogQueueFailed(Exception exception, AnalysisKind kind, Guid versionId);
}
