using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Runs;

/// <summary>
/// Runs of training and evaluation scripts: create, read, list with the filter language, change, heartbeat, inputs.
/// Every method checks the caller's project permissions itself (Viewer reads, Editor writes).
/// </summary>
public sealed class RunService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    ArtifactService artifacts,
    IUserDirectory users,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxPageSize = 500;
    private const int SaveAttempts = 5;
    private const int CreateAttempts = 20;
    private const int MaxKeys = 500;

    public async Task<RunDetails> CreateAsync(ClaimsPrincipal user, string slug, NewRun request, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.LogRuns, cancellationToken).ConfigureAwait(false);
        var experimentName = string.IsNullOrWhiteSpace(request.Experiment) ? ExperimentService.DefaultName : ExperimentService.ValidName(request.Experiment);
        var name = request.Name?.Trim();
        RunValidation.Demand(name, RunLimits.MaxNameLength, "run name");
        var parameters = RunValidation.Params(request.Params);
        var tags = RunValidation.Tags(request.Tags);
        RunValidation.Demand(request.Notes, RunLimits.MaxNotesLength, "notes");
        var source = request.Source ?? new RunSource();
        RunValidation.Demand(source.Commit, RunLimits.MaxSourceLength, "source commit");
        RunValidation.Demand(source.EntryPoint, RunLimits.MaxSourceLength, "source entry point");
        RunValidation.Demand(source.Host, RunLimits.MaxSourceLength, "source host");

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var experiment = await ExperimentService.FindOrAddAsync(db, access.ProjectId, experimentName, user, now, cancellationToken).ConfigureAwait(false);
            var number = (await db.Runs.Where(r => r.ProjectId == access.ProjectId).MaxAsync(r => (int?)r.Number, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
            var run = new Run
            {
                Id = Guid.CreateVersion7(now),
                ProjectId = access.ProjectId,
                ExperimentId = experiment.Id,
                Number = number,
                Name = string.IsNullOrEmpty(name) ? $"run-{number}" : name,
                Status = RunStatus.Running,
                StartedAt = now,
                LastHeartbeatAt = now,
                CreatedByUserId = user.UserId()!,
                Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes,
                SourceCommit = Blank(source.Commit),
                SourceEntryPoint = Blank(source.EntryPoint),
                SourceHost = Blank(source.Host),
                ConcurrencyStamp = Guid.NewGuid(),
                Params = [.. parameters.Select(p => new RunParam { Key = p.Key, Value = p.Value })],
                Tags = [.. tags.Select(t => new RunTag { Name = t })],
            };
            db.Runs.Add(run);
            audit.Record(db, user, AuditActions.RunCreated, access.ProjectId, $"run {number}", $"{run.Name} in {experiment.Name}");
            await ArtifactService.TouchProjectAsync(db, access.ProjectId, now, cancellationToken).ConfigureAwait(false);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < CreateAttempts)
            {
                // Another run took this number (unique index on project and number), or created the experiment first.
                // Racers computed the same number; a random pause keeps them from colliding again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20 * attempt)), time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return (await LoadAsync(db, user, access.Slug, [run.Id], cancellationToken).ConfigureAwait(false))[0];
        }
    }

    public async Task<RunDetails> GetAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var id = await db.Runs.Where(r => r.ProjectId == access.ProjectId && r.Number == number).Select(r => (Guid?)r.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw NotFound(access, number);
        return (await LoadAsync(db, user, access.Slug, [id], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>One page of the project's runs, filtered and sorted as <paramref name="query"/> says.</summary>
    /// <exception cref="RunFilterException">The filter does not parse.</exception>
    public async Task<PagedList<RunDetails>> ListAsync(ClaimsPrincipal user, string slug, RunQuery query, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListAsync(user, access, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The runs for a caller whose access the page already looked up; <paramref name="user"/> still decides which other
    /// projects' inputs the runs may show.
    /// </summary>
    /// <exception cref="RunFilterException">The filter does not parse.</exception>
    public async Task<PagedList<RunDetails>> ListAsync(ClaimsPrincipal user, ProjectAccess access, RunQuery query, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        var filter = RunFilter.Parse(query.Filter);
        var sort = RunSort.Parse(query.Sort);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runs = db.Runs.AsNoTracking().Where(r => r.ProjectId == access.ProjectId);
        if (!string.IsNullOrWhiteSpace(query.Experiment))
        {
            var experiment = ExperimentService.Normalize(query.Experiment.Trim());
            runs = runs.Where(r => db.Experiments.Any(e => e.Id == r.ExperimentId && e.NormalizedName == experiment));
        }

        if (query.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        runs = await RunQueries.ApplyAsync(db, runs, filter, cancellationToken).ConfigureAwait(false);
        var (skip, take) = Paging.Window(query.Page, query.PageSize, MaxPageSize);
        var ids = await RunQueries.PageAsync(db, runs, sort, skip, take, cancellationToken).ConfigureAwait(false);
        var total = await Paging.TotalAsync(runs, skip, take, ids.Count, cancellationToken).ConfigureAwait(false);
        return new PagedList<RunDetails>(await LoadAsync(db, user, access.Slug, ids, cancellationToken).ConfigureAwait(false), total);
    }

    /// <summary>The param and metric keys used in the project's runs, for choosing table columns.</summary>
    public async Task<RunKeys> ListKeysAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        return await ListKeysAsync(access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The keys for a caller whose access the page already looked up.</summary>
    public async Task<RunKeys> ListKeysAsync(ProjectAccess access, CancellationToken cancellationToken = default)
    {
        access.Demand(ProjectOperation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runs = db.Runs.Where(r => r.ProjectId == access.ProjectId).Select(r => r.Id);
        var parameters = await db.RunParams.AsNoTracking().Where(p => runs.Contains(p.RunId)).Select(p => p.Key).Distinct().OrderBy(k => k).Take(MaxKeys)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var metrics = await db.MetricSeries.AsNoTracking().Where(s => runs.Contains(s.RunId)).Select(s => s.Key).Distinct().OrderBy(k => k).Take(MaxKeys)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new RunKeys(parameters, metrics);
    }

    /// <summary>Ends the run, renames it, adds params (write-once) and tags, replaces notes; the client is alive, too.</summary>
    public async Task<RunDetails> UpdateAsync(ClaimsPrincipal user, string slug, int number, RunChanges changes, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.LogRuns, cancellationToken).ConfigureAwait(false);
        var name = changes.Name?.Trim();
        RunValidation.Demand(name, RunLimits.MaxNameLength, "run name");
        RunValidation.Demand(changes.Notes, RunLimits.MaxNotesLength, "notes");
        var parameters = RunValidation.Params(changes.Params);
        var addTags = RunValidation.Tags(changes.AddTags);
        var removeTags = RunValidation.Tags(changes.RemoveTags);
        if (changes.Status is { } status && !Enum.IsDefined(status))
        {
            throw new PortalRequestException("The status is one of finished, failed or killed.");
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var run = await db.Runs.Include(r => r.Params).Include(r => r.Tags).AsSplitQuery()
                .FirstOrDefaultAsync(r => r.ProjectId == access.ProjectId && r.Number == number, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound(access, number);
            var now = time.GetUtcNow();
            AddParams(run, parameters);
            if (changes.Status is { } newStatus && newStatus != run.Status)
            {
                if (run.Status != RunStatus.Running)
                {
                    throw new PortalConflictException($"Run {number} already ended as {Lower(run.Status)}; an ended run cannot be re-opened or changed.");
                }

                run.Status = newStatus;
                run.EndedAt = now;
                audit.Record(db, user, AuditActions.RunEnded, access.ProjectId, $"run {number}", $"{run.Name}: {Lower(newStatus)}");
            }

            if (name is not null)
            {
                run.Name = name.Length == 0 ? $"run-{number}" : name;
            }

            if (changes.Notes is not null)
            {
                run.Notes = string.IsNullOrWhiteSpace(changes.Notes) ? null : changes.Notes;
            }

            run.Tags.RemoveAll(t => removeTags.Contains(t.Name, StringComparer.Ordinal));
            run.Tags.AddRange(addTags.Where(t => !removeTags.Contains(t) && run.Tags.All(existing => existing.Name != t)).Select(t => new RunTag { Name = t }));
            if (run.Status == RunStatus.Running)
            {
                run.LastHeartbeatAt = now;
            }

            run.ConcurrencyStamp = Guid.NewGuid();
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < SaveAttempts)
            {
                // The stale-run job or another PATCH changed the run meanwhile: judge the change again on the fresh row.
                continue;
            }

            return (await LoadAsync(db, user, access.Slug, [run.Id], cancellationToken).ConfigureAwait(false))[0];
        }
    }

    /// <summary>Tells the portal that the run's client is alive; 409 when the run has ended.</summary>
    public async Task HeartbeatAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default) =>
        await GetWritableRunAsync(user, slug, number, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The run, for a caller about to write to it (metrics): checks Editor, demands that the run is still running
    /// (<see cref="PortalConflictException"/> otherwise) and records the write as a heartbeat. The entity is not tracked.
    /// </summary>
    /// <remarks>
    /// Every metric batch comes through here, so it is one read and one narrow UPDATE. The heartbeat leaves the concurrency
    /// stamp alone: logging metrics must not make a concurrent edit of the run (notes, tags) fail. The stale-run job guards
    /// itself with the heartbeat column instead.
    /// </remarks>
    public async Task<Run> GetWritableRunAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.LogRuns, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.ProjectId == access.ProjectId && r.Number == number, cancellationToken)
            .ConfigureAwait(false) ?? throw NotFound(access, number);
        if (run.Status != RunStatus.Running)
        {
            throw Ended(run);
        }

        var now = time.GetUtcNow();
        var id = run.Id;
        var touched = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastHeartbeatAt, now), cancellationToken)
            .ConfigureAwait(false);
        if (touched == 0)
        {
            // Ended between the read and the heartbeat.
            run.Status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstAsync(cancellationToken).ConfigureAwait(false);
            throw Ended(run);
        }

        run.LastHeartbeatAt = now;
        return run;
    }

    /// <summary>
    /// The id of a running run the caller may log metrics to (Editor); <see cref="PortalConflictException"/> when it has ended.
    /// The caller records the heartbeat in its own write transaction (see <see cref="IMetricStore.AppendAsync"/>).
    /// </summary>
    public async Task<Guid> GetRunningRunIdAsync(ClaimsPrincipal user, string slug, int number, CancellationToken cancellationToken = default)
    {
        var access = await projects.DemandAsync(user, slug, ProjectOperation.LogRuns, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Runs.AsNoTracking().Where(r => r.ProjectId == access.ProjectId && r.Number == number)
            .Select(r => new { r.Id, r.Status })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false) ?? throw NotFound(access, number);
        return run.Status == RunStatus.Running ? run.Id : throw Ended(number, run.Status);
    }

    /// <summary>
    /// Records that the run consumed the version named by <paramref name="reference"/> (<c>project/artifact:ref</c>, or
    /// <c>artifact:ref</c> in the run's project). Another project's version is allowed when the caller can see it.
    /// </summary>
    public async Task<RunInputAdded> AddInputAsync(ClaimsPrincipal user, string slug, int number, string reference, CancellationToken cancellationToken = default)
    {
        var run = await GetWritableRunAsync(user, slug, number, cancellationToken).ConfigureAwait(false);
        reference = reference?.Trim() ?? "";
        if (reference.Length == 0)
        {
            throw new PortalRequestException("Name the input as project/artifact:v3 or project/artifact:latest.");
        }

        var version = await artifacts.ResolveAsync(user, reference.Contains('/', StringComparison.Ordinal) ? reference : $"{slug}/{reference}", cancellationToken)
            .ConfigureAwait(false);
        if (version.Version.IsDeleted)
        {
            throw new PortalConflictException($"{version.Identifier} was deleted; a run cannot use it.");
        }

        var versionId = await VersionIdAsync(version, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.RunInputs.AnyAsync(i => i.RunId == run.Id && i.VersionId == versionId, cancellationToken).ConfigureAwait(false))
        {
            db.RunInputs.Add(new RunInput { RunId = run.Id, VersionId = versionId, CreatedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // The same input sent twice at once: the primary key kept one, which is what the caller wanted.
            }
        }

        return new RunInputAdded(version.Identifier, versionId);
    }

    /// <summary>Demands that <paramref name="runId"/> is a running run of <paramref name="projectId"/>, for uploads that name the run producing them.</summary>
    internal static async Task DemandRunningInProjectAsync(IPortalDbContext db, Guid runId, Guid projectId, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.ProjectId, r.Number, r.Status })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (run is null || run.ProjectId != projectId)
        {
            throw new PortalRequestException($"Run {runId} is not a run of this project; a version can only be produced by a run of its own project.");
        }

        if (run.Status != RunStatus.Running)
        {
            throw new PortalConflictException($"Run {run.Number} already ended as {Lower(run.Status)}; it cannot produce new versions.");
        }
    }

    internal static string Lower(RunStatus status) => status.ToString().ToLowerInvariant();

    private static void AddParams(Run run, Dictionary<string, string> parameters)
    {
        foreach (var (key, value) in parameters)
        {
            var existing = run.Params.FirstOrDefault(p => p.Key == key);
            if (existing is not null && existing.Value != value)
            {
                throw new PortalConflictException($"Param '{key}' is already {existing.Value}; params are written once and cannot change to {value}.");
            }

            if (existing is null)
            {
                if (run.Status != RunStatus.Running)
                {
                    throw Ended(run);
                }

                run.Params.Add(new RunParam { Key = key, Value = value });
            }
        }
    }

    private async Task<Guid> VersionIdAsync(ArtifactVersionDetails version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ArtifactVersions.Where(v => v.ArtifactId == version.ArtifactId && v.Number == version.Version.Number).Select(v => v.Id)
            .FirstAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The runs with everything a page or the API shows, in the order of <paramref name="ids"/>.</summary>
    private async Task<IReadOnlyList<RunDetails>> LoadAsync(
        IPortalDbContext db, ClaimsPrincipal user, string slug, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        // Split: in one join every param row would repeat for every tag.
        var runs = await db.Runs.AsNoTracking().Include(r => r.Params).Include(r => r.Tags).AsSplitQuery()
            .Where(r => ids.Contains(r.Id))
            .Select(r => new { Run = r, Experiment = db.Experiments.Where(e => e.Id == r.ExperimentId).Select(e => e.Name).First() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var metrics = await db.MetricSeries.AsNoTracking().Where(s => ids.Contains(s.RunId)).OrderBy(s => s.Key)
            .Select(s => new { s.RunId, Summary = new RunMetricSummary(s.Key, s.Count, s.Last, s.LastStep, s.Min, s.Max) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var inputs = await LinksAsync(db, db.RunInputs.Where(i => ids.Contains(i.RunId)).Select(i => new RunVersionPair { RunId = i.RunId, VersionId = i.VersionId }),
            cancellationToken).ConfigureAwait(false);
        var outputs = await LinksAsync(db, db.ArtifactVersions.Where(v => v.ProducedByRunId != null && ids.Contains(v.ProducedByRunId.Value) && v.DeletedAt == null)
                .Select(v => new RunVersionPair { RunId = v.ProducedByRunId!.Value, VersionId = v.Id }), cancellationToken).ConfigureAwait(false);
        var visible = await VisibleProjectsAsync(user, slug, inputs.Select(i => i.Link.ProjectSlug), cancellationToken).ConfigureAwait(false);
        var names = await users.GetAsync([.. runs.Select(r => r.Run.CreatedByUserId).Distinct()], cancellationToken).ConfigureAwait(false);
        var byId = runs.ToDictionary(r => r.Run.Id);
        return [.. ids.Where(byId.ContainsKey).Select(id =>
        {
            var (run, experiment) = (byId[id].Run, byId[id].Experiment);
            return new RunDetails(
                run.Id,
                slug,
                run.Number,
                run.Name,
                experiment,
                run.Status,
                run.StartedAt,
                run.EndedAt,
                run.LastHeartbeatAt,
                names.TryGetValue(run.CreatedByUserId, out var creator) ? creator.UserName : "former member",
                run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                [.. run.Tags.Select(t => t.Name).Order(StringComparer.Ordinal)],
                run.Notes,
                new RunSource(run.SourceCommit, run.SourceEntryPoint, run.SourceHost),
                [.. metrics.Where(m => m.RunId == id).Select(m => m.Summary)],
                [.. inputs.Where(i => i.RunId == id && visible.Contains(i.Link.ProjectSlug)).Select(i => i.Link).OrderBy(l => l.Reference, StringComparer.Ordinal)],
                [.. outputs.Where(o => o.RunId == id).Select(o => o.Link).OrderBy(l => l.Reference, StringComparer.Ordinal)]);
        })];
    }

    private static async Task<List<(Guid RunId, RunArtifactLink Link)>> LinksAsync(
        IPortalDbContext db, IQueryable<RunVersionPair> pairs, CancellationToken cancellationToken)
    {
        var rows = await (
                from p in pairs
                join v in db.ArtifactVersions on p.VersionId equals v.Id
                join a in db.Artifacts on v.ArtifactId equals a.Id
                join project in db.Projects on a.ProjectId equals project.Id
                select new { p.RunId, v.Id, project.Slug, a.Name, v.Number, a.Type })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.RunId, new RunArtifactLink(r.Id, r.Slug, r.Name, r.Number, r.Type)))];
    }

    /// <summary>Inputs may come from other projects; only those the caller can see are shown.</summary>
    private async Task<HashSet<string>> VisibleProjectsAsync(ClaimsPrincipal user, string slug, IEnumerable<string> slugs, CancellationToken cancellationToken)
    {
        var visible = new HashSet<string>(StringComparer.Ordinal) { slug };
        foreach (var other in slugs.Distinct(StringComparer.Ordinal).Where(s => s != slug))
        {
            if (await projects.FindAsync(user, other, cancellationToken).ConfigureAwait(false) is not null)
            {
                visible.Add(other);
            }
        }

        return visible;
    }

    private static PortalNotFoundException NotFound(ProjectAccess access, int number) =>
        new($"There is no run {number.ToString(CultureInfo.InvariantCulture)} in {access.Slug}.");

    private static PortalConflictException Ended(Run run) => Ended(run.Number, run.Status);

    private static PortalConflictException Ended(int number, RunStatus status) =>
        new($"Run {number} is {Lower(status)}; an ended run takes no more metrics, params or inputs.");

    private sealed class RunVersionPair
    {
        public Guid RunId { get; init; }

        public Guid VersionId { get; init; }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
