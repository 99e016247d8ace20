using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Lineage;

/// <summary>
/// Versions, runs and links written straight into the tables (the runs API is another feature's), as logged runs and
/// uploads would leave them. Call <see cref="SaveAsync"/> once everything is added.
/// </summary>
public sealed class LineageSeed(string userId)
{
    private readonly Dictionary<(Guid, string), Artifact> _artifacts = [];
    private readonly Dictionary<(Guid, string), Experiment> _experiments = [];
    private readonly Dictionary<Guid, int> _runNumbers = [];
    private readonly List<object> _rows = [];
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public Guid Version(Guid projectId, string artifact, ArtifactType type = ArtifactType.Dataset, Guid? producedBy = null, params string[] aliases)
    {
        if (!_artifacts.TryGetValue((projectId, artifact), out var a))
        {
            a = new Artifact
            {
                Id = Guid.NewGuid(),
                ProjectId = projectId,
                Name = artifact,
                NormalizedName = artifact.ToLowerInvariant(),
                Type = type,
                CreatedAt = _now,
                CreatedByUserId = userId,
                UpdatedAt = _now,
                ConcurrencyStamp = Guid.NewGuid(),
            };
            _artifacts[(projectId, artifact)] = a;
            _rows.Add(a);
        }

        a.LastVersionNumber++;
        a.VersionCount++;
        var version = new ArtifactVersion
        {
            Id = Guid.NewGuid(),
            ArtifactId = a.Id,
            Number = a.LastVersionNumber,
            CreatedAt = _now,
            CreatedByUserId = userId,
            ProducedByRunId = producedBy,
        };
        _rows.Add(version);
        foreach (var alias in aliases)
        {
            _rows.Add(new ArtifactAlias { ArtifactId = a.Id, Name = alias, VersionId = version.Id, UpdatedAt = _now });
        }

        return version.Id;
    }

    public Guid Run(Guid projectId, string experiment, params Guid[] inputs)
    {
        if (!_experiments.TryGetValue((projectId, experiment), out var e))
        {
            e = new Experiment { Id = Guid.NewGuid(), ProjectId = projectId, Name = experiment, NormalizedName = experiment.ToUpperInvariant(), CreatedAt = _now, CreatedByUserId = userId };
            _experiments[(projectId, experiment)] = e;
            _rows.Add(e);
        }

        var number = _runNumbers[projectId] = _runNumbers.GetValueOrDefault(projectId) + 1;
        var run = new Run
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            ExperimentId = e.Id,
            Number = number,
            Name = $"{experiment}-{number}",
            Status = RunStatus.Finished,
            StartedAt = _now,
            LastHeartbeatAt = _now,
            CreatedByUserId = userId,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        _rows.Add(run);
        _rows.AddRange(inputs.Select(i => new RunInput { RunId = run.Id, VersionId = i, CreatedAt = _now }));
        return run.Id;
    }

    public void Derive(Guid version, Guid source) =>
        _rows.Add(new VersionDerivation { VersionId = version, SourceVersionId = source, CreatedAt = _now, CreatedByUserId = userId });

    public Task SaveAsync(PortalWebApplicationFactory portal) => portal.ChangeDatabaseAsync(async db =>
    {
        // Links in a second save: a version's producing run has no foreign key in the model for EF to order by.
        db.Artifacts.AddRange(_rows.OfType<Artifact>());
        db.Experiments.AddRange(_rows.OfType<Experiment>());
        db.Runs.AddRange(_rows.OfType<Run>());
        db.ArtifactVersions.AddRange(_rows.OfType<ArtifactVersion>());
        await db.SaveChangesAsync();
        db.ArtifactAliases.AddRange(_rows.OfType<ArtifactAlias>());
        db.RunInputs.AddRange(_rows.OfType<RunInput>());
        db.VersionDerivations.AddRange(_rows.OfType<VersionDerivation>());
    });
}
