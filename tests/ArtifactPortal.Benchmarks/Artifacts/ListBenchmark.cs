using System.Diagnostics;
using System.Globalization;
using ArtifactPortal.Benchmarks.Load;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using static ArtifactPortal.Benchmarks.BenchSupport;

namespace ArtifactPortal.Benchmarks.Artifacts;

/// <summary>
/// "lists": the artifacts and versions list API of a real portal (SQLite) in a project with 200,000 versions: 1,000 artifacts
/// × 100 versions, and one artifact with 100,000 versions. Rows are bulk-inserted through EF, not the upload API. Each call is
/// timed from the client over loopback (an upper bound of the server time), warm, one request at a time; then the server
/// render of the artifacts list page and of the big artifact's page, signed in with a cookie.
/// </summary>
public static class ListBenchmark
{
    private const string Project = "lists";
    private const string Big = "history";
    private const int WarmUp = 20;
    private const double TargetMs = 100;

    public sealed record Options(string PortalDll, string Work, int Requests, bool Quick);

    public static async Task RunAsync(Options options)
    {
        var (artifacts, versionsEach, bigVersions) = options.Quick ? (100, 10, 10_000) : (1_000, 100, 100_000);
        var data = Directory.CreateDirectory(Path.Combine(options.Work, "lists")).FullName;
        await using var portal = await PortalProcess.StartAsync(options.PortalDll, data);
        await portal.CreateUserAndTokenAsync();
        await portal.CreateProjectAsync(Project);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(portal, artifacts, versionsEach, bigVersions);
        Console.WriteLine($"lists: seeded {artifacts:N0} artifacts × {versionsEach} versions + '{Big}' with {bigVersions:N0} versions in " +
                          $"{seeding.Elapsed.TotalSeconds:F0} s; {options.Requests} timed requests per call after {WarmUp} warm-up ones; ms, client-side over loopback");

        var artifactsUrl = $"api/v1/projects/{Project}/artifacts";
        var versionsUrl = $"{artifactsUrl}/{Big}/versions";
        var lastArtifactsPage = ((artifacts + 1) / 50) + 1;
        var lastVersionsPage = (bigVersions + 49) / 50;
        (string Name, string Url)[] calls =
        [
            ("artifacts page 1 (sort updated)", $"{artifactsUrl}?page=1"),
            ($"artifacts page {lastArtifactsPage} (last)", $"{artifactsUrl}?page={lastArtifactsPage}"),
            ("artifacts sort=name page 10", $"{artifactsUrl}?sort=name&page=10"),
            ("artifacts sort=size page 1", $"{artifactsUrl}?sort=size&page=1"),
            ("artifacts q=model-05", $"{artifactsUrl}?q=model-05"),
            ("artifacts tag=even", $"{artifactsUrl}?tag=even&page=5"),
            ($"versions of {Big} page 1", $"{versionsUrl}?page=1"),
            ($"versions of {Big} page {lastVersionsPage / 2} (middle)", $"{versionsUrl}?page={lastVersionsPage / 2}"),
            ($"versions of {Big} page {lastVersionsPage} (last)", $"{versionsUrl}?page={lastVersionsPage}"),
            ($"versions of model-{artifacts / 2:D4} page 1", $"{artifactsUrl}/model-{artifacts / 2:D4}/versions?page=1"),
        ];
        // The pages' server render (a plain GET, as the first paint of a browser): the list page shows the counts and storage
        // use (its rows load in the circuit), the artifact page the first page of the 100,000 versions.
        // No redirects followed: a bounce to the login page must fail the run, not be timed.
        // The cookie container keeps the cookie the portal renews, as a browser does.
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = await LoadBenchmark.LogInAsync(portal.BaseAddress) })
        {
            BaseAddress = portal.BaseAddress,
        };
        (string Name, string Url, HttpClient Http)[] all =
        [
            .. calls.Select(c => (c.Name, c.Url, portal.Http)),
            ("artifacts list page render", $"p/{Project}/artifacts", browser),
            ($"artifact page render ({Big})", $"p/{Project}/artifacts/{Big}", browser),
        ];
        Console.WriteLine($"lists: machine load before the timed calls: {LoadBenchmark.LoadAverage()}");
        var width = all.Max(c => c.Name.Length);
        foreach (var (name, url, http) in all)
        {
            var times = await TimeAsync(http, url, options.Requests);
            var (p50, p95) = (Percentile(times, 50), Percentile(times, 95));
            var verdict = p95 < TargetMs ? "ok" : $"OVER the {TargetMs:F0} ms target";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name.PadRight(width)}  p50 {p50,6:F1}  p95 {p95,6:F1}  max {times.Max(),6:F1}  {verdict}"));
            AddSummary($"GET {name}", string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F1} ms, p95 {p95:F1} ms"), verdict);
        }

        Console.WriteLine($"lists: machine load after: {LoadBenchmark.LoadAverage()}");
    }

    private static async Task<List<double>> TimeAsync(HttpClient http, string url, int requests)
    {
        var times = new List<double>(requests);
        for (var i = 0; i < WarmUp + requests; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            stopwatch.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            if (i >= WarmUp)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    /// <summary>Artifacts, versions, tags and the latest alias as the commits would leave them; no files (the lists never read them).</summary>
    private static async Task SeedAsync(PortalProcess portal, int artifacts, int versionsEach, int bigVersions)
    {
        string userId;
        Guid projectId;
        await using (var db = portal.OpenDatabase())
        {
            userId = await db.Users.Where(u => u.Email == PortalProcess.Email).Select(u => u.Id).SingleAsync();
            projectId = await db.Set<Project>().Where(p => p.Slug == Project).Select(p => p.Id).SingleAsync();
        }

        var start = DateTimeOffset.UtcNow.AddDays(-400);
        var specs = Enumerable.Range(0, artifacts).Select(i => ($"model-{i:D4}", versionsEach)).Append((Big, bigVersions));
        var batch = new List<(Artifact Artifact, List<ArtifactVersion> Versions)>();
        var pending = 0;
        var index = 0;
        foreach (var (name, count) in specs)
        {
            var created = start.AddMinutes(index++);
            var artifact = new Artifact
            {
                Id = Guid.CreateVersion7(created),
                ProjectId = projectId,
                Name = name,
                NormalizedName = name,
                Type = (ArtifactType)(index % 7),
                Description = $"Seeded artifact {name}.",
                CreatedAt = created,
                CreatedByUserId = userId,
                UpdatedAt = created.AddMinutes(count),
                LastVersionNumber = count,
                VersionCount = count,
                LatestVersionSize = 1000L * count,
                ConcurrencyStamp = Guid.NewGuid(),
                Tags = [new ArtifactTag { Tag = index % 2 == 0 ? "even" : "odd" }, new ArtifactTag { Tag = $"group-{index % 10}" }],
            };
            var versions = Enumerable.Range(1, count).Select(n => new ArtifactVersion
            {
                Id = Guid.CreateVersion7(created.AddMinutes(n)),
                ArtifactId = artifact.Id,
                Number = n,
                CreatedAt = created.AddMinutes(n),
                CreatedByUserId = userId,
                MetadataJson = $$"""{"epoch":{{n}},"accuracy":0.{{n % 1000:D3}}}""",
                FileCount = 1,
                TotalSize = 1000L * n,
            }).ToList();
            batch.Add((artifact, versions));
            pending += count;
            if (pending >= 20_000)
            {
                await SaveAsync(portal, batch);
                batch.Clear();
                pending = 0;
            }
        }

        await SaveAsync(portal, batch);
    }

    private static async Task SaveAsync(PortalProcess portal, List<(Artifact Artifact, List<ArtifactVersion> Versions)> batch)
    {
        await using var db = portal.OpenDatabase();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var (artifact, versions) in batch)
        {
            db.Artifacts.Add(artifact);
            db.ArtifactVersions.AddRange(versions);
            db.ArtifactAliases.Add(new ArtifactAlias
            {
                ArtifactId = artifact.Id,
                Name = ArtifactNames.Latest,
                VersionId = versions[^1].Id,
                UpdatedAt = versions[^1].CreatedAt,
            });
        }

        await db.SaveChangesAsync();
    }
}
