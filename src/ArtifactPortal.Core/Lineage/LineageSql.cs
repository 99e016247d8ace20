using System.Runtime.CompilerServices;

namespace ArtifactPortal.Core.Lineage;

/// <summary>One row of a traversal: a node id (version or run) and its distance from the start.</summary>
public sealed class LineageHit
{
    public Guid Id { get; set; }

    public int Depth { get; set; }
}

/// <summary>
/// The recursive queries behind lineage, one text per provider: SQLite and PostgreSQL share one (UNION drops repeated
/// rows, so a cycle ends); SQL Server only allows UNION ALL in a recursive CTE, so it is bounded by depth instead.
/// Only constants are spliced into the text; the start node, depth and limit are parameters.
/// </summary>
internal static class LineageSql
{
    /// <summary>SQL Server cannot drop repeated rows in the recursion, so "all levels" stops here there.</summary>
    public const int SqlServerMaxDepth = 20;

    // Every edge as (src, dst), pointing downstream: run → version produced, version → run consuming it, source → derived.
    private const string Edges = """
        edges(src, dst) AS (
            SELECT "ProducedByRunId", "Id" FROM "ArtifactVersions" WHERE "ProducedByRunId" IS NOT NULL
            UNION ALL SELECT "VersionId", "RunId" FROM "RunInputs"
            UNION ALL SELECT "SourceVersionId", "VersionId" FROM "VersionDerivations"
        )
        """;

    public static FormattableString Walk(string? provider, Guid start, bool downstream, int? depth, int limit)
    {
        var (from, to) = downstream ? ("src", "dst") : ("dst", "src");
        var sqlite = provider?.EndsWith(".Sqlite", StringComparison.Ordinal) == true;
        if (provider?.EndsWith(".SqlServer", StringComparison.Ordinal) == true)
        {
            var max = Math.Min(depth ?? SqlServerMaxDepth, SqlServerMaxDepth);
            return FormattableStringFactory.Create(
                "WITH " + Edges + $$"""
                ,
                walk(id, depth) AS (
                    SELECT CAST({0} AS uniqueidentifier), 0
                    UNION ALL
                    SELECT e.{{to}}, w.depth + 1 FROM walk w JOIN edges e ON e.{{from}} = w.id WHERE w.depth < {1}
                )
                SELECT TOP ({2}) id AS "Id", MIN(depth) AS "Depth" FROM walk GROUP BY id ORDER BY MIN(depth), id
                OPTION (MAXRECURSION 100)
                """,
                start,
                max,
                limit);
        }

        if (sqlite)
        {
            return SqliteWalk(start, downstream, depth, limit);
        }

        if (depth is null)
        {
            // Id-only rows: UNION visits each node once, so "all levels" costs one pass over the reachable part.
            // Depths are then computed from the edges (LineageService), since a row here cannot carry one.
            return FormattableStringFactory.Create(
                "WITH RECURSIVE " + Edges + $$"""
                ,
                walk(id) AS (
                    SELECT {0}
                    UNION
                    SELECT e.{{to}} FROM walk w JOIN edges e ON e.{{from}} = w.id
                )
                SELECT id AS "Id", 0 AS "Depth" FROM walk LIMIT {1}
                """,
                start,
                limit);
        }

        return FormattableStringFactory.Create(
            "WITH RECURSIVE " + Edges + $$"""
            ,
            walk(id, depth) AS (
                SELECT {0}, 0
                UNION
                SELECT e.{{to}}, w.depth + 1 FROM walk w JOIN edges e ON e.{{from}} = w.id WHERE w.depth < {1}
            )
            SELECT id AS "Id", MIN(depth) AS "Depth" FROM walk GROUP BY id ORDER BY MIN(depth), id LIMIT {2}
            """,
            start,
            depth.Value,
            limit);
    }

    /// <summary>
    /// SQLite: one recursive SELECT per edge table (allowed since 3.34), so each step is an index lookup. Joining the
    /// shared <c>edges</c> union instead made SQLite materialize all 30,000 edges on every call (EXPLAIN QUERY PLAN:
    /// "MATERIALIZE edges", "AUTOMATIC COVERING INDEX"), ~0.9 s for "all levels" in ./build.sh bench lineage.
    /// "All levels" walks ids only, so UNION is the visited set: each node is expanded once and the LIMIT stops the
    /// recursion early; with (id, depth) rows a node would be expanded again for every path length that reaches it.
    /// </summary>
    private static FormattableString SqliteWalk(Guid start, bool downstream, int? depth, int limit)
    {
        (string Table, string From, string To)[] steps = downstream
            ? [("ArtifactVersions", "ProducedByRunId", "Id"), ("RunInputs", "VersionId", "RunId"), ("VersionDerivations", "SourceVersionId", "VersionId")]
            : [("ArtifactVersions", "Id", "ProducedByRunId"), ("RunInputs", "RunId", "VersionId"), ("VersionDerivations", "VersionId", "SourceVersionId")];
        if (depth is null)
        {
            var ids = string.Join("\n    UNION\n", steps.Select(s =>
                $$"""    SELECT t."{{s.To}}" FROM walk w JOIN "{{s.Table}}" t ON t."{{s.From}}" = w.id WHERE t."{{s.To}}" IS NOT NULL"""));
            return FormattableStringFactory.Create(
                $$"""
                WITH RECURSIVE walk(id) AS (
                    SELECT {0}
                    UNION
                {{ids}}
                )
                SELECT id AS "Id", 0 AS "Depth" FROM walk LIMIT {1}
                """,
                start,
                limit);
        }

        var recursive = string.Join("\n    UNION\n", steps.Select(s =>
            $$"""    SELECT t."{{s.To}}", w.depth + 1 FROM walk w JOIN "{{s.Table}}" t ON t."{{s.From}}" = w.id WHERE t."{{s.To}}" IS NOT NULL AND w.depth < {1}"""));
        return FormattableStringFactory.Create(
            $$"""
            WITH RECURSIVE walk(id, depth) AS (
                SELECT {0}, 0
                UNION
            {{recursive}}
            )
            SELECT id AS "Id", MIN(depth) AS "Depth" FROM walk GROUP BY id ORDER BY MIN(depth), id LIMIT {2}
            """,
            start,
            depth.Value,
            limit);
    }

    /// <summary>Whether <paramref name="target"/> is downstream of <paramref name="start"/> (or is it): adding target → start would close a cycle.</summary>
    public static FormattableString Reaches(bool sqlServer, Guid start, Guid target) => sqlServer
        ? FormattableStringFactory.Create(
            "WITH " + Edges + """
            ,
            walk(id, depth) AS (
                SELECT CAST({0} AS uniqueidentifier), 0
                UNION ALL
                SELECT e.dst, w.depth + 1 FROM walk w JOIN edges e ON e.src = w.id WHERE w.depth < 100
            )
            SELECT COUNT(*) AS "Value" FROM walk WHERE id = {1}
            OPTION (MAXRECURSION 100)
            """,
            start,
            target)
        : FormattableStringFactory.Create(
            "WITH RECURSIVE " + Edges + """
            ,
            walk(id) AS (
                SELECT {0}
                UNION
                SELECT e.dst FROM walk w JOIN edges e ON e.src = w.id
            )
            SELECT COUNT(*) AS "Value" FROM walk WHERE id = {1}
            """,
            start,
            target);
}
