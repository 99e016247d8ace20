namespace ArtifactPortal.Core.Lineage;

public enum LineageDirection
{
    Up,
    Down,
    Both,
}

/// <summary>How a node is drawn; <see cref="Restricted"/> hides everything about a node in a project the viewer cannot see.</summary>
public enum LineageNodeKind
{
    Dataset,
    Model,
    Evaluation,
    Run,
    Other,
    Restricted,
}

public enum LineageEdgeKind
{
    /// <summary>A run produced a version.</summary>
    Produced,

    /// <summary>A run consumed a version.</summary>
    Consumed,

    /// <summary>A version was derived from another outside tracked runs.</summary>
    DerivedFrom,
}

/// <summary>What to walk: <paramref name="Depth"/> null (or 0) means all levels, up to the node limit of each direction.</summary>
public sealed record LineageQuery(string Node, LineageDirection Direction = LineageDirection.Both, int? Depth = 3, int? NodeLimit = null)
{
    /// <summary>The depth downstream, when it differs from upstream (the page sets each direction apart).</summary>
    public int? DownstreamDepth { get; init; } = Depth;
}

/// <param name="Id">Opaque within one graph; restricted nodes get ids that reveal nothing ("restricted-1").</param>
/// <param name="Reference">For API callers: <c>project/artifact:v3</c> or <c>run:project/17</c>; null when restricted.</param>
/// <param name="Depth">Distance from the focus; negative upstream, positive downstream.</param>
/// <param name="Group">The collapsible group this node belongs to, when its group is large.</param>
public sealed record LineageNode(
    string Id,
    LineageNodeKind Kind,
    string? Label,
    int? Version,
    IReadOnlyList<string> Aliases,
    string? Project,
    string? Reference,
    string? Url,
    string? ThumbnailUrl,
    string? Detail,
    int Depth,
    bool IsFocus,
    bool IsDeleted,
    string? Group);

public sealed record LineageEdge(string Source, string Target, LineageEdgeKind Kind);

/// <summary>Many versions of one artifact or many runs of one experiment, drawn as one expandable node ("+37 runs").</summary>
public sealed record LineageGroup(string Id, string Label, int Count);

/// <param name="Truncated">More nodes were reachable than the node limit allowed.</param>
public sealed record LineageGraph(
    string Focus,
    IReadOnlyList<LineageNode> Nodes,
    IReadOnlyList<LineageEdge> Edges,
    IReadOnlyList<LineageGroup> Groups,
    bool Truncated);

/// <summary>A model downstream of a dataset version, with its aliases (production, staging, …).</summary>
public sealed record ImpactedModel(string Reference, string Url, IReadOnlyList<string> Aliases)
{
    public bool IsProtected => Aliases.Any(LineageService.ProtectedAliases.Contains);
}

/// <param name="RestrictedCount">Downstream models in projects the viewer cannot see: counted, never named.</param>
public sealed record LineageImpact(IReadOnlyList<ImpactedModel> Models, int RestrictedCount)
{
    public bool AffectsProduction => Models.Any(m => m.Aliases.Contains(LineageService.ProductionAlias));
}
