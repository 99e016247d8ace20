using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;

namespace ArtifactPortal.Benchmarks.Lineage;

/// <summary>
/// A project lineage of <c>nodes</c> versions and runs with about three links per node, written straight to the tables.
/// Node i only links to nodes shortly before it (a window of 200), so the graph is a long, braided DAG like months of
/// training, not a star: a walk of depth 3 stays small while "all levels" reaches thousands of nodes.
/// </summary>
public static class LineageGraphGenerator
{
    private const int Window = 200;

    public sealed record Generated(IReadOnlyList<Guid> Versions, IReadOnlyList<Guid> Runs, int Edges, string MiddleArtifact, int MiddleVersion);

    public static async Task<Generated> SeedAsync(
        Func<Task<IPortalDbContext>> open, Guid projectId, string userId, int nodes = 10_000, int edges = 30_000, int seed = 7)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        var artifacts = Enumerable.Range(0, 100).Select(i => new Artifact
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            Name = $"{(ArtifactType)(i % 3)}-{i:D3}".ToLowerInvariant(),
            NormalizedName = $"{(ArtifactType)(i % 3)}-{i:D3}".ToLowerInvariant(),
            Type = (ArtifactType)(i % 3),
            CreatedAt = now,
            CreatedByUserId = userId,
            UpdatedAt = now,
            ConcurrencyStamp = Guid.NewGuid(),
        }).ToList();
        var experiments = Enumerable.Range(0, 20).Select(i => new Experiment
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            Name = $"experiment-{i:D2}",
            NormalizedName = $"EXPERIMENT-{i:D2}",
            CreatedAt = now,
            CreatedByUserId = userId,
        }).ToList();
        var isRun = Enumerable.Range(0, nodes).Select(i => i % 4 == 0).ToArray();
        var ids = Enumerable.Range(0, nodes).Select(_ => Guid.NewGuid()).ToArray();
        var runs = new List<Run>();
        var versions = new List<ArtifactVersion>();
        var runNumber = 0;
        for (var i = 0; i < nodes; i++)
        {
            if (isRun[i])
            {
                runs.Add(new Run
                {
                    Id = ids[i],
                    ProjectId = projectId,
                    ExperimentId = experiments[i % experiments.Count].Id,
                    Number = ++runNumber,
                    Name = $"run-{runNumber}",
                    Status = RunStatus.Finished,
                    StartedAt = now,
                    LastHeartbeatAt = now,
                    CreatedByUserId = userId,
                    ConcurrencyStamp = Guid.NewGuid(),
                });
                continue;
            }

            var artifact = artifacts[random.Next(artifacts.Count)];
            artifact.LastVersionNumber++;
            artifact.VersionCount++;
            // A version made by a run shortly before it (its producing run), except the first ones: raw data.
            var producer = i < Window ? (int?)null : Before(i, r => isRun[r]);
            versions.Add(new ArtifactVersion
            {
                Id = ids[i],
                ArtifactId = artifact.Id,
                Number = artifact.LastVersionNumber,
                CreatedAt = now,
                CreatedByUserId = userId,
                ProducedByRunId = producer is { } p ? ids[p] : null,
            });
        }

        var produced = versions.Count(v => v.ProducedByRunId is not null);
        var inputs = new HashSet<(Guid, Guid)>();
        var derivations = new HashSet<(Guid, Guid)>();
        var remaining = edges - produced;
        while (inputs.Count + derivations.Count < remaining)
        {
            var i = Window + random.Next(nodes - Window);
            var source = Before(i, s => !isRun[s]);
            if (source is not { } s)
            {
                continue;
            }

            // Runs read earlier versions; a quarter of the versions picked are "derived from" an earlier one.
            if (isRun[i])
            {
                inputs.Add((ids[i], ids[s]));
            }
            else if (random.Next(4) == 0)
            {
                derivations.Add((ids[i], ids[s]));
            }
        }

        await using (var db = await open())
        {
            db.Artifacts.AddRange(artifacts);
            db.Experiments.AddRange(experiments);
            await db.SaveChangesAsync();
        }

        foreach (var chunk in runs.Chunk(2_000))
        {
            await using var db = await open();
            db.Runs.AddRange(chunk);
            await db.SaveChangesAsync();
        }

        foreach (var chunk in versions.Chunk(2_000))
        {
            await using var db = await open();
            db.ArtifactVersions.AddRange(chunk);
            await db.SaveChangesAsync();
        }

        foreach (var chunk in inputs.Chunk(5_000))
        {
            await using var db = await open();
            db.RunInputs.AddRange(chunk.Select(x => new RunInput { RunId = x.Item1, VersionId = x.Item2, CreatedAt = now }));
            await db.SaveChangesAsync();
        }

        foreach (var chunk in derivations.Chunk(5_000))
        {
            await using var db = await open();
            db.VersionDerivations.AddRange(chunk.Select(x => new VersionDerivation { VersionId = x.Item1, SourceVersionId = x.Item2, CreatedAt = now, CreatedByUserId = userId }));
            await db.SaveChangesAsync();
        }

        var middle = versions[versions.Count / 2];
        var middleArtifact = artifacts.Single(a => a.Id == middle.ArtifactId);
        return new Generated(
            [.. versions.Select(v => v.Id)], [.. runs.Select(r => r.Id)], produced + inputs.Count + derivations.Count, middleArtifact.Name, middle.Number);

        int? Before(int i, Func<int, bool> accept)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var candidate = i - 1 - random.Next(Math.Min(Window, i));
                if (candidate >= 0 && accept(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
