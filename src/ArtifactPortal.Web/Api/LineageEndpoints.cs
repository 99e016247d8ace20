using System.Security.Claims;
using ArtifactPortal.Core.Lineage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ArtifactPortal.Web.Api;

/// <param name="Kind">dataset, model, evaluation, run, other or restricted (a node in a project the caller cannot see: no name, type or link).</param>
public sealed record ApiLineageNode(
    string Id,
    string Kind,
    string? Label,
    int? Version,
    IReadOnlyList<string> Aliases,
    string? Project,
    string? Reference,
    string? Url,
    string? ThumbnailUrl,
    string? Detail,
    int Depth,
    bool Focus,
    bool Deleted,
    string? Group);

/// <param name="Kind">produced (run → version), consumed (version → run) or derivedFrom (source → derived version).</param>
public sealed record ApiLineageEdge(string Source, string Target, string Kind);

public sealed record ApiLineageGroup(string Id, string Label, int Count);

public sealed record ApiLineageGraph(
    string Focus, IReadOnlyList<ApiLineageNode> Nodes, IReadOnlyList<ApiLineageEdge> Edges, IReadOnlyList<ApiLineageGroup> Groups, bool Truncated)
{
    /// <summary>The one JSON shape of a graph: the API answers it and the lineage page hands it to its script.</summary>
    public static ApiLineageGraph From(LineageGraph graph) => new(
        graph.Focus,
        [.. graph.Nodes.Select(n => new ApiLineageNode(
            n.Id, Name(n.Kind), n.Label, n.Version, n.Aliases, n.Project, n.Reference, n.Url, n.ThumbnailUrl, n.Detail, n.Depth, n.IsFocus, n.IsDeleted, n.Group))],
        [.. graph.Edges.Select(e => new ApiLineageEdge(e.Source, e.Target, e.Kind switch
        {
            LineageEdgeKind.Produced => "produced",
            LineageEdgeKind.Consumed => "consumed",
            _ => "derivedFrom",
        }))],
        [.. graph.Groups.Select(g => new ApiLineageGroup(g.Id, g.Label, g.Count))],
        graph.Truncated);

    private static string Name(LineageNodeKind kind) => kind.ToString().ToLowerInvariant();
}

public sealed record ApiDerivedFrom(string Reference);

/// <summary>/api/v1 lineage: the graph around a version or run, and "derived from" links between versions (docs/lineage-api.md).</summary>
public static class LineageEndpoints
{
    public static RouteGroupBuilder MapLineageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/lineage", GetGraphAsync).WithTags("Lineage")
            .WithSummary("Lineage graph")
            .WithDescription("Nodes and edges upstream and/or downstream of node = project/artifact:v3 (or an alias) or run:project/17. "
                + "direction = up, down or both (default); depth = 1.. or 0 for all levels (default 3); limit = nodes per direction (default 300, at most 2000). "
                + "Nodes in projects the caller cannot see are kind 'restricted' with no name or link.")
            .Produces<ApiLineageGraph>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        const string derivedFrom = "/projects/{slug}/artifacts/{name}/versions/{reference}/derived-from";
        api.MapPost(derivedFrom, AddDerivedFromAsync).WithTags("Lineage")
            .WithSummary("Add a \"derived from\" link")
            .WithDescription("Records that the version was derived from another version ({ \"reference\": \"project/artifact:v3\" }) made outside "
                + "tracked runs. Needs Editor here and view access to the source. 409 for a self-link or a link that would make a cycle.")
            .Produces<ApiDerivedFrom>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete(derivedFrom, RemoveDerivedFromAsync).WithTags("Lineage")
            .WithSummary("Remove a \"derived from\" link")
            .WithDescription("Removes the link to the source named by ?source=project/artifact:v3 (or the same body as the POST). Needs Editor.");
        return api;
    }

    private static async Task<IResult> GetGraphAsync(
        ClaimsPrincipal user, string? node, string? direction, int? depth, int? limit, LineageService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(node))
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, "Name the node: ?node=project/artifact:v3 or ?node=run:project/17.");
        }

        if (!TryParseDirection(direction, out var parsed))
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, $"direction is up, down or both, not '{direction}'.");
        }

        if (depth < 0 || limit < 1)
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, "depth is 0 (all levels) or more, and limit at least 1.");
        }

        var graph = await service.GetGraphAsync(user, new LineageQuery(node, parsed, depth ?? 3, limit), cancellationToken);
        return TypedResults.Ok(ApiLineageGraph.From(graph));
    }

    private static async Task<ApiDerivedFrom> AddDerivedFromAsync(
        ClaimsPrincipal user, string slug, string name, string reference, ApiDerivedFrom body, LineageService service, CancellationToken cancellationToken) =>
        new(await service.AddDerivedFromAsync(user, slug, name, reference, body.Reference, cancellationToken));

    private static async Task<IResult> RemoveDerivedFromAsync(
        ClaimsPrincipal user,
        string slug,
        string name,
        string reference,
        string? source,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ApiDerivedFrom? body,
        LineageService service,
        CancellationToken cancellationToken)
    {
        source ??= body?.Reference;
        if (string.IsNullOrWhiteSpace(source))
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, "Name the source: ?source=project/artifact:v3 or { \"reference\": \"project/artifact:v3\" }.");
        }

        await service.RemoveDerivedFromAsync(user, slug, name, reference, source, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static bool TryParseDirection(string? text, out LineageDirection direction)
    {
        direction = LineageDirection.Both;
        return string.IsNullOrEmpty(text) || (Enum.TryParse(text, ignoreCase: true, out direction) && Enum.IsDefined(direction));
    }
}
