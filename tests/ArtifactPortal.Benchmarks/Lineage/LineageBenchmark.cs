using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Lineage;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Lineage;

/// <summary>
/// "lineage": LineageService.GetGraphAsync (the recursive walk plus loading the nodes, aliases and edges) on a generated
/// project lineage of 10,000 nodes and 30,000 edges, on a SQLite file and on a throw-away PostgreSQL, in process.
/// The page's time to interactive is measured by the end-to-end test LineagePageTests (Chromium).
/// </summary>
public static class LineageBenchmark
{
    private const double TargetMs = 300;
    private const int WarmUp = 5;

    public sealed record Options(string Work, int Requests, bool Quick);

    public static async Task RunAsync(Options options)
    {
        var (nodes, edges) = options.Quick ? (2_000, 6_000) : (10_000, 30_000);
        await RunProviderAsync("SQLite", DatabaseProvider.Sqlite, $"Data Source={Path.Combine(options.Work, "lineage.db")}", options, nodes, edges);
        if (!PostgresAvailable())
        {
            AddSummary("lineage (PostgreSQL)", "not measured", "no PostgreSQL binaries under /usr/lib/postgresql");
            return;
        }

        await using var postgres = await PostgresServer.StartAsync();
        var connection = await postgres.CreateDatabaseAsync("lineage_bench");
        await RunProviderAsync("PostgreSQL", DatabaseProvider.Postgres, connection, options, nodes, edges);
    }

    private static async Task RunProviderAsync(string name, DatabaseProvider provider, string connectionString, Options options, int nodes, int edges)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDirectory"] = options.Work,
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPortalCore();
        services.AddPortalDatabase(configuration);
        services.AddSingleton<DatabaseMigrator>();
        services.AddPortalIdentity(configuration);
        await using var provider_ = services.BuildServiceProvider();
        await provider_.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var factory = provider_.GetRequiredService<IPortalDbContextFactory>();

        var userId = Guid.NewGuid().ToString();
        var projectId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using (var db = await factory.CreateDbContextAsync())
        {
            ((PortalDbContext)db).Users.Add(new PortalUser { Id = userId, UserName = "bench", NormalizedUserName = "BENCH", Email = "bench@example.com" });
            var project = new Project { Id = projectId, Name = "Lineage", Slug = "lineage", Visibility = ProjectVisibility.Private, CreatedAt = now, LastActivityAt = now };
            project.Members.Add(new ProjectMember { UserId = userId, Role = ProjectRole.Owner, AddedAt = now });
            db.Projects.Add(project);
            await db.SaveChangesAsync();
        }

        var seeding = Stopwatch.StartNew();
        var graph = await LineageGraphGenerator.SeedAsync(() => factory.CreateDbContextAsync(), projectId, userId, nodes, edges);
        Console.WriteLine($"lineage ({name}): seeded {graph.Versions.Count + graph.Runs.Count:N0} nodes, {graph.Edges:N0} edges in {seeding.Elapsed.TotalSeconds:F0} s; "
                          + $"{options.Requests} timed calls per case from random middle versions, after {WarmUp} warm-up ones");

        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, "bench")], "bench"));
        var lineage = provider_.GetRequiredService<LineageService>();
        var random = new Random(11);
        // The start nodes: versions in the middle half of the history, where both directions are deep.
        var starts = await StartsAsync(factory, graph, random, WarmUp + options.Requests);
        (string Case, LineageDirection Direction, int? Depth)[] cases =
        [
            ("both, depth 1", LineageDirection.Both, 1),
            ("both, depth 2", LineageDirection.Both, 2),
            ("both, depth 3", LineageDirection.Both, 3),
            ("up, all levels", LineageDirection.Up, null),
            ("down, all levels", LineageDirection.Down, null),
            ("both, all levels", LineageDirection.Both, null),
        ];
        foreach (var (label, direction, depth) in cases)
        {
            var times = new List<double>();
            var sizes = new List<double>();
            for (var i = 0; i < starts.Count; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var result = await lineage.GetGraphAsync(user, new LineageQuery(starts[i], direction, depth));
                stopwatch.Stop();
                if (i >= WarmUp)
                {
                    times.Add(stopwatch.Elapsed.TotalMilliseconds);
                    sizes.Add(result.Nodes.Count);
                }
            }

            var (p50, p95) = (Percentile(times, 50), Percentile(times, 95));
            var verdict = p95 < TargetMs ? "ok" : $"OVER the {TargetMs:F0} ms target";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label,-18} p50 {p50,7:F1}  p95 {p95,7:F1}  max {times.Max(),7:F1} ms   nodes p50 {Percentile(sizes, 50),5:F0} max {sizes.Max(),5:F0}  {verdict}"));
            AddSummary($"lineage {name}: {label}", string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F1} ms, p95 {p95:F1} ms"),
                string.Create(CultureInfo.InvariantCulture, $"{Percentile(sizes, 50):F0} nodes (p50); {verdict}"));
        }
    }

    private static async Task<List<string>> StartsAsync(IPortalDbContextFactory factory, LineageGraphGenerator.Generated graph, Random random, int count)
    {
        await using var db = await factory.CreateDbContextAsync();
        var quarter = graph.Versions.Count / 4;
        var picked = Enumerable.Range(0, count).Select(_ => graph.Versions[quarter + random.Next(quarter * 2)]).ToList();
        var names = db.ArtifactVersions.Where(v => picked.Contains(v.Id))
            .Join(db.Artifacts, v => v.ArtifactId, a => a.Id, (v, a) => new { v.Id, a.Name, v.Number })
            .ToDictionary(x => x.Id, x => $"lineage/{x.Name}:v{x.Number}");
        return [.. picked.Select(id => names[id])];
    }

    private static bool PostgresAvailable() => Directory.Exists("/usr/lib/postgresql");
}
