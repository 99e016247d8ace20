using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Lineage;

/// <summary>
/// Lineage: what a version or run came from and what was made from it, walked in the database by a recursive query
/// (<see cref="LineageSql"/>), across projects; nodes in projects the caller cannot see come back as restricted placeholders.
/// </summary>
public sealed class LineageService(
    IPortalDbContextFactory dbFactory,
    ProjectAccessService projects,
    ArtifactService artifacts,
    AuditLog audit,
    TimeProvider time)
{
    public const int DefaultNodeLimit = 300;
    public const int MaxNodeLimit = 2000;

    /// <summary>Above this many versions of one artifact (or runs of one experiment) the graph draws one group node.</summary>
    public const int GroupThreshold = 5;

    public const string ProductionAlias = "production";
    public static readonly IReadOnlySet<string> ProtectedAliases = new HashSet<string>(StringComparer.Ordinal) { ProductionAlias, "staging" };

    private const string RunPrefix = "run:";

    /// <summary>The graph around <see cref="LineageQuery.Node"/>: <c>project/artifact:v3</c> (or an alias) or <c>run:project/17</c>.</summary>
    public async Task<LineageGraph> GetGraphAsync(ClaimsPrincipal user, LineageQuery query, CancellationToken cancellationToken = default)
    {
        var focus = await ResolveAsync(user, query.Node, cancellationToken).ConfigureAwait(false);
        var limit = Math.Clamp(query.NodeLimit ?? DefaultNodeLimit, 1, MaxNodeLimit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var depths = new Dictionary<Guid, int> { [focus] = 0 };
        var truncated = false;
        if (query.Direction is LineageDirection.Up or LineageDirection.Both)
        {
            truncated |= await WalkAsync(db, focus, downstream: false, Levels(query.Depth), limit, depths, cancellationToken).ConfigureAwait(false);
        }

        if (query.Direction is LineageDirection.Down or LineageDirection.Both)
        {
            truncated |= await WalkAsync(db, focus, downstream: true, Levels(query.DownstreamDepth), limit, depths, cancellationToken).ConfigureAwait(false);
        }

        return await BuildAsync(db, user, focus, depths, truncated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The models downstream of a version (any depth), with their aliases; for the impact panel and delete warnings.</summary>
    public async Task<LineageImpact> GetImpactAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var graph = await GetGraphAsync(
            user, new LineageQuery(ArtifactReferenceFor(slug, name, reference), LineageDirection.Down, Depth: null, MaxNodeLimit), cancellationToken)
            .ConfigureAwait(false);
        var downstream = graph.Nodes.Where(n => !n.IsFocus).ToList();
        var models = downstream.Where(n => n is { Kind: LineageNodeKind.Model, IsDeleted: false })
            .Select(n => new ImpactedModel(n.Reference!, n.Url!, n.Aliases))
            .OrderByDescending(m => m.IsProtected).ThenBy(m => m.Reference, StringComparer.Ordinal)
            .ToList();
        return new LineageImpact(models, downstream.Count(n => n.Kind == LineageNodeKind.Restricted));
    }

    /// <summary>The versions this one was derived from (outside tracked runs); sources the caller cannot see are left out.</summary>
    public async Task<IReadOnlyList<LineageNode>> ListDerivedFromAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var (_, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        var sources = await db.VersionDerivations.AsNoTracking().Where(d => d.VersionId == version.Id).Select(d => d.SourceVersionId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var depths = sources.ToDictionary(s => s, _ => -1);
        depths[version.Id] = 0;
        var graph = await BuildAsync(db, user, version.Id, depths, truncated: false, cancellationToken).ConfigureAwait(false);
        return [.. graph.Nodes.Where(n => n is { IsFocus: false } && n.Kind != LineageNodeKind.Restricted).OrderBy(n => n.Reference, StringComparer.Ordinal)];
    }

    /// <summary>Records that a version was derived from <paramref name="sourceReference"/> (<c>project/artifact:v3</c>). Needs Editor.</summary>
    /// <exception cref="PortalConflictException">A self-link, or a link that would close a cycle.</exception>
    public async Task<string> AddDerivedFromAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string sourceReference, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        var source = await artifacts.ResolveAsync(user, sourceReference?.Trim() ?? "", cancellationToken).ConfigureAwait(false);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);
        var sourceId = await db.ArtifactVersions.AsNoTracking().Where(v => v.ArtifactId == source.ArtifactId && v.Number == source.Version.Number)
            .Select(v => v.Id).FirstAsync(cancellationToken).ConfigureAwait(false);
        var target = ArtifactReference.For(access.Slug, artifact.Name, version.Number);
        var sourceText = ArtifactReference.For(source.ProjectSlug, source.ArtifactName, source.Version.Number);
        if (sourceId == version.Id)
        {
            throw new PortalConflictException($"{target} cannot be derived from itself.");
        }

        if (await db.VersionDerivations.AnyAsync(d => d.VersionId == version.Id && d.SourceVersionId == sourceId, cancellationToken).ConfigureAwait(false))
        {
            return sourceText;
        }

        var closesCycle = (await db.Database.SqlQuery<int>(LineageSql.Reaches(IsSqlServer(db), version.Id, sourceId))
            .ToListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault() > 0;
        if (closesCycle)
        {
            throw new PortalConflictException($"{sourceText} already comes from {target}; linking them would make a cycle.");
        }

        db.VersionDerivations.Add(new VersionDerivation
        {
            VersionId = version.Id,
            SourceVersionId = sourceId,
            CreatedAt = time.GetUtcNow(),
            CreatedByUserId = user.UserId()!,
        });
        audit.Record(db, user, AuditActions.ArtifactDerivationAdded, access.ProjectId, target, $"derived from {sourceText}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same link was added by a concurrent request: the key decided, and the outcome is what was asked.
        }

        return sourceText;
    }

    /// <summary>Removes a "derived from" link. Needs Editor in the derived version's project.</summary>
    public async Task RemoveDerivedFromAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string sourceReference, CancellationToken cancellationToken = default)
    {
        var (access, artifact) = await artifacts.LocateAsync(user, slug, name, ProjectOperation.UploadArtifacts, cancellationToken).ConfigureAwait(false);
        if (!ArtifactReference.TryParse(sourceReference?.Trim(), out var parsed))
        {
            throw new PortalRequestException($"'{sourceReference}' is not an identifier like project/artifact:v3.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await ArtifactService.FindVersionAsync(db, artifact, reference, cancellationToken).ConfigureAwait(false);

        // The source is matched among this version's links, so a link to a project the caller can no longer see can still be removed.
        var number = ArtifactNames.ParseVersionNumber(parsed.Version);
        var normalized = parsed.ArtifactName.ToLowerInvariant();
        var link = await db.VersionDerivations
            .Where(d => d.VersionId == version.Id)
            .Join(db.ArtifactVersions, d => d.SourceVersionId, v => v.Id, (d, v) => new { Link = d, v.Number, v.ArtifactId })
            .Join(db.Artifacts, x => x.ArtifactId, a => a.Id, (x, a) => new { x.Link, x.Number, a.NormalizedName, a.ProjectId })
            .Join(db.Projects, x => x.ProjectId, p => p.Id, (x, p) => new { x.Link, x.Number, x.NormalizedName, p.Slug })
            .Where(x => x.Slug == parsed.ProjectSlug && x.NormalizedName == normalized && x.Number == number)
            .Select(x => x.Link)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new PortalNotFoundException($"{ArtifactReference.For(access.Slug, artifact.Name, version.Number)} is not derived from {parsed}.");
        db.VersionDerivations.Remove(link);
        audit.Record(db, user, AuditActions.ArtifactDerivationRemoved, access.ProjectId,
            ArtifactReference.For(access.Slug, artifact.Name, version.Number), $"no longer derived from {parsed}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string RunReference(string slug, int number) => $"{RunPrefix}{slug}/{number.ToString(CultureInfo.InvariantCulture)}";

    public static string VersionUrl(string slug, string name, int number) =>
        $"/p/{Uri.EscapeDataString(slug)}/artifacts/{Uri.EscapeDataString(name)}/v{number.ToString(CultureInfo.InvariantCulture)}";

    public static string RunUrl(string slug, int number) => $"/p/{Uri.EscapeDataString(slug)}/runs/{number.ToString(CultureInfo.InvariantCulture)}";

    private static int? Levels(int? depth) => depth is null or <= 0 ? null : Math.Min(depth.Value, 100);

    private static string ArtifactReferenceFor(string slug, string name, string reference) => $"{slug}/{name}:{reference}";

    private static bool IsSqlServer(IPortalDbContext db) =>
        db.Database.ProviderName?.EndsWith(".SqlServer", StringComparison.Ordinal) == true;

    /// <summary>Adds what the walk reached to <paramref name="depths"/> (upstream negative); true when the limit cut it short.</summary>
    private static async Task<bool> WalkAsync(
        IPortalDbContext db, Guid focus, bool downstream, int? depth, int limit, Dictionary<Guid, int> depths, CancellationToken cancellationToken)
    {
        // The focus is one of the rows; one more than the limit tells that the walk was cut short.
        var hits = await db.Database.SqlQuery<LineageHit>(LineageSql.Walk(db.Database.ProviderName, focus, downstream, depth, limit + 2))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var sign = downstream ? 1 : -1;
        var reached = hits.Where(h => h.Id != focus).ToList();
        foreach (var hit in reached.Take(limit))
        {
            // Depth 0 from the id-only walk means "not known yet": BuildAsync measures it on the edges.
            depths.TryAdd(hit.Id, hit.Depth == 0 ? sign * int.MaxValue : sign * hit.Depth);
        }

        return reached.Count > limit;
    }

    private static async Task<LineageGraph> BuildAsync(
        IPortalDbContext db, ClaimsPrincipal user, Guid focus, Dictionary<Guid, int> depths, bool truncated, CancellationToken cancellationToken)
    {
        var ids = depths.Keys.ToList();
        var versions = await db.ArtifactVersions.AsNoTracking().Where(v => ids.Contains(v.Id))
            .Join(db.Artifacts, v => v.ArtifactId, a => a.Id, (v, a) => new { v.Id, v.Number, v.DeletedAt, v.CreatedAt, ArtifactId = a.Id, a.Name, a.Type, a.ProjectId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var runs = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Join(db.Experiments, r => r.ExperimentId, e => e.Id, (r, e) => new { r.Id, r.Number, r.Name, r.Status, r.StartedAt, r.ExperimentId, Experiment = e.Name, r.ProjectId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var projectIds = versions.Select(v => v.ProjectId).Concat(runs.Select(r => r.ProjectId)).Distinct().ToList();
        var slugs = await ProjectService.VisibleTo(db, user, user.UserId() ?? "").Where(p => projectIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Slug, cancellationToken).ConfigureAwait(false);
        var visibleVersionIds = versions.Where(v => slugs.ContainsKey(v.ProjectId)).Select(v => v.Id).ToList();
        var aliases = (await db.ArtifactAliases.AsNoTracking().Where(a => visibleVersionIds.Contains(a.VersionId))
            .Select(a => new { a.VersionId, a.Name }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(a => a.VersionId, a => a.Name);
        var thumbnails = (await db.VersionThumbnails.AsNoTracking().Where(t => t.Path == "" && visibleVersionIds.Contains(t.VersionId))
            .Select(t => new { t.VersionId, t.Size, t.Sha256 }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(t => t.VersionId)
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.Size).First().Sha256);
        var edges = await EdgesAsync(db, ids, cancellationToken).ConfigureAwait(false);
        MeasureUnknownDepths(focus, depths, edges);

        var nodeIds = new Dictionary<Guid, string>();
        var restricted = 0;
        var nodes = new List<LineageNode>();
        foreach (var v in versions.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Number))
        {
            if (!slugs.TryGetValue(v.ProjectId, out var slug))
            {
                nodes.Add(Restricted(v.Id));
                continue;
            }

            var id = $"v-{v.Id:N}";
            nodeIds[v.Id] = id;
            var versionAliases = aliases[v.Id].OrderBy(a => a == ArtifactNames.Latest ? 1 : 0).ThenBy(a => a, StringComparer.Ordinal).ToList();
            nodes.Add(new LineageNode(
                id,
                KindOf(v.Type),
                v.Name,
                v.Number,
                versionAliases,
                slug,
                ArtifactReference.For(slug, v.Name, v.Number),
                VersionUrl(slug, v.Name, v.Number),
                thumbnails.TryGetValue(v.Id, out var sha) ? $"/p/{Uri.EscapeDataString(slug)}/thumbnails/{sha}.webp" : null,
                $"{v.Type} · {slug} · created {v.CreatedAt:yyyy-MM-dd}" + (v.DeletedAt is null ? "" : " · deleted"),
                depths[v.Id],
                v.Id == focus,
                v.DeletedAt is not null,
                $"a-{v.ArtifactId:N}"));
        }

        foreach (var r in runs.OrderBy(r => r.Number))
        {
            if (!slugs.TryGetValue(r.ProjectId, out var slug))
            {
                nodes.Add(Restricted(r.Id));
                continue;
            }

            var id = $"r-{r.Id:N}";
            nodeIds[r.Id] = id;
            nodes.Add(new LineageNode(
                id,
                LineageNodeKind.Run,
                r.Name,
                r.Number,
                [],
                slug,
                RunReference(slug, r.Number),
                RunUrl(slug, r.Number),
                null,
                $"Run #{r.Number} · {r.Experiment} · {r.Status} · {slug} · started {r.StartedAt:yyyy-MM-dd}",
                depths[r.Id],
                r.Id == focus,
                false,
                $"e-{r.ExperimentId:N}"));
        }

        // Group only where many siblings sit on the same side of the focus; the focus itself always stays visible.
        var groupSizes = nodes.Where(n => n.Group is not null && !n.IsFocus)
            .GroupBy(n => (n.Group, Math.Sign(n.Depth)))
            .Where(g => g.Count() > GroupThreshold)
            .ToDictionary(g => g.Key, g => g.Count());
        var groups = new List<LineageGroup>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            if (n.Group is null)
            {
                continue;
            }

            var key = (n.Group, Math.Sign(n.Depth));
            if (n.IsFocus || !groupSizes.TryGetValue(key, out var count))
            {
                nodes[i] = n with { Group = null };
                continue;
            }

            var groupId = $"{n.Group}-{(key.Item2 < 0 ? "up" : "down")}";
            nodes[i] = n with { Group = groupId };
            if (groups.All(g => g.Id != groupId))
            {
                groups.Add(new LineageGroup(groupId, n.Kind == LineageNodeKind.Run ? $"+{count} runs" : $"{n.Label}: +{count} versions", count));
            }
        }

        return new LineageGraph(
            nodeIds[focus],
            nodes,
            [.. edges.Select(e => new LineageEdge(nodeIds[e.Source], nodeIds[e.Target], e.Kind)).Distinct()],
            groups,
            truncated);

        LineageNode Restricted(Guid id)
        {
            var opaque = $"restricted-{++restricted}";
            nodeIds[id] = opaque;
            return new LineageNode(opaque, LineageNodeKind.Restricted, null, null, [], null, null, null, null, null, depths[id], false, false, null);
        }
    }

    private static async Task<List<(Guid Source, Guid Target, LineageEdgeKind Kind)>> EdgesAsync(
        IPortalDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var produced = await db.ArtifactVersions.AsNoTracking()
            .Where(v => v.ProducedByRunId != null && ids.Contains(v.Id) && ids.Contains(v.ProducedByRunId.Value))
            .Select(v => new { Source = v.ProducedByRunId!.Value, Target = v.Id })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var consumed = await db.RunInputs.AsNoTracking().Where(i => ids.Contains(i.VersionId) && ids.Contains(i.RunId))
            .Select(i => new { Source = i.VersionId, Target = i.RunId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var derived = await db.VersionDerivations.AsNoTracking().Where(d => ids.Contains(d.SourceVersionId) && ids.Contains(d.VersionId))
            .Select(d => new { Source = d.SourceVersionId, Target = d.VersionId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. produced.Select(e => (e.Source, e.Target, LineageEdgeKind.Produced)),
            .. consumed.Select(e => (e.Source, e.Target, LineageEdgeKind.Consumed)),
            .. derived.Select(e => (e.Source, e.Target, LineageEdgeKind.DerivedFrom)),
        ];
    }

    /// <summary>Breadth-first over the fetched edges, for nodes whose walk could not carry a depth (all levels).</summary>
    private static void MeasureUnknownDepths(Guid focus, Dictionary<Guid, int> depths, List<(Guid Source, Guid Target, LineageEdgeKind Kind)> edges)
    {
        if (!depths.Values.Any(d => Math.Abs(d) == int.MaxValue))
        {
            return;
        }

        foreach (var downstream in new[] { true, false })
        {
            var next = edges.ToLookup(e => downstream ? e.Source : e.Target, e => downstream ? e.Target : e.Source);
            var frontier = new Queue<(Guid Id, int Depth)>([(focus, 0)]);
            var seen = new HashSet<Guid> { focus };
            while (frontier.TryDequeue(out var current))
            {
                foreach (var neighbour in next[current.Id].Where(seen.Add))
                {
                    var d = current.Depth + 1;
                    if (depths.TryGetValue(neighbour, out var known) && Math.Abs(known) == int.MaxValue && Math.Sign(known) == (downstream ? 1 : -1))
                    {
                        depths[neighbour] = downstream ? d : -d;
                    }

                    frontier.Enqueue((neighbour, d));
                }
            }
        }

        foreach (var key in depths.Where(p => Math.Abs(p.Value) == int.MaxValue).Select(p => p.Key).ToList())
        {
            depths[key] = Math.Sign(depths[key]);
        }
    }

    private async Task<Guid> ResolveAsync(ClaimsPrincipal user, string node, CancellationToken cancellationToken)
    {
        node = node?.Trim() ?? "";
        if (node.StartsWith(RunPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = node[RunPrefix.Length..];
            var slash = rest.LastIndexOf('/');
            if (slash <= 0 || !int.TryParse(rest[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw new PortalRequestException($"'{node}' is not a run like run:project/17.");
            }

            var access = await projects.DemandAsync(user, rest[..slash], ProjectOperation.View, cancellationToken).ConfigureAwait(false);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var run = await db.Runs.AsNoTracking().Where(r => r.ProjectId == access.ProjectId && r.Number == number).Select(r => (Guid?)r.Id)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return run ?? throw new PortalNotFoundException($"There is no run {number} in {access.Slug}.");
        }

        if (!ArtifactReference.TryParse(node, out var reference))
        {
            throw new PortalRequestException($"'{node}' is not a lineage node like project/artifact:v3 or run:project/17.");
        }

        var (_, artifact) = await artifacts.LocateAsync(user, reference.ProjectSlug, reference.ArtifactName, ProjectOperation.View, cancellationToken)
            .ConfigureAwait(false);
        await using var context = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return (await ArtifactService.FindVersionAsync(context, artifact, reference.Version, cancellationToken).ConfigureAwait(false)).Id;
    }

    private static LineageNodeKind KindOf(ArtifactType type) => type switch
    {
        ArtifactType.Dataset => LineageNodeKind.Dataset,
        ArtifactType.Model => LineageNodeKind.Model,
        ArtifactType.Evaluation => LineageNodeKind.Evaluation,
        _ => LineageNodeKind.Other,
    };
}
