using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Evaluations;

/// <summary>
/// Metrics of Evaluation artifact versions, and the evaluations of a model's versions side by side. Read-only: every method
/// checks that the caller may view the project (through <see cref="ArtifactService"/>).
/// </summary>
public sealed class EvaluationService(
    IPortalDbContextFactory dbFactory, ArtifactService artifacts, IBlobStore blobs, IEvaluationMetricsReader reader)
{
    /// <summary>Metrics files are small; a bigger file is skipped rather than read into a page.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    public const int MaxFiles = 20;

    /// <summary>Model versions compared when the caller does not choose.</summary>
    public const int DefaultCompareVersions = 10;

    public const int MaxCompareVersions = 20;

    /// <summary>The metadata key that links an evaluation to the model version it evaluated (<c>project/model:vN</c>).</summary>
    public const string ModelMetadataKey = "model";

    public async Task<EvaluationMetrics> GetAsync(
        ClaimsPrincipal user, string slug, string name, string reference, CancellationToken cancellationToken = default)
    {
        var version = await artifacts.GetVersionAsync(user, slug, name, reference, cancellationToken).ConfigureAwait(false);
        if (version.Type != ArtifactType.Evaluation)
        {
            throw new PortalRequestException(
                $"{version.ArtifactName} is a {version.Type} artifact; evaluation metrics are read from Evaluation artifacts only.");
        }

        if (version.Version.IsDeleted)
        {
            throw new PortalConflictException($"v{version.Version.Number} was deleted; its files are gone.");
        }

        return await ReadAsync(version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The newest evaluation of each chosen version of a model (by default its <see cref="DefaultCompareVersions"/> newest),
    /// found through lineage (a run consumed the model version and produced the evaluation) or the evaluation's <c>model</c> metadata.
    /// </summary>
    public async Task<ModelEvaluationComparison> CompareModelVersionsAsync(
        ClaimsPrincipal user, string slug, string modelName, IReadOnlyCollection<int>? versions, CancellationToken cancellationToken = default)
    {
        if (versions is { Count: > MaxCompareVersions })
        {
            throw new PortalRequestException($"Compare at most {MaxCompareVersions} versions at a time.");
        }

        var (access, model) = await artifacts.LocateAsync(user, slug, modelName, ProjectOperation.View, cancellationToken).ConfigureAwait(false);
        if (model.Type != ArtifactType.Model)
        {
            throw new PortalRequestException($"{model.Name} is a {model.Type} artifact; evaluations are compared across versions of a Model.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var live = db.ArtifactVersions.AsNoTracking().Where(v => v.ArtifactId == model.Id && v.DeletedAt == null);
        if (versions is { Count: > 0 })
        {
            var wanted = versions.ToList();
            live = live.Where(v => wanted.Contains(v.Number));
        }

        var modelVersions = await live.OrderByDescending(v => v.Number).Take(versions is { Count: > 0 } ? MaxCompareVersions : DefaultCompareVersions)
            .Select(v => new { v.Id, v.Number }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = modelVersions.Select(v => v.Id).ToList();
        var aliases = await db.ArtifactAliases.AsNoTracking().Where(a => ids.Contains(a.VersionId)).Select(a => new { a.VersionId, a.Name })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var evaluations = db.ArtifactVersions.AsNoTracking().Where(v => v.DeletedAt == null)
            .Join(db.Artifacts.Where(a => a.ProjectId == access.ProjectId && a.Type == ArtifactType.Evaluation),
                v => v.ArtifactId, a => a.Id, (v, a) => new { a.Name, v.Number, v.CreatedAt, v.ProducedByRunId, v.MetadataJson });
        var byLineage = await db.RunInputs.AsNoTracking().Where(i => ids.Contains(i.VersionId))
            .Join(evaluations, i => (Guid?)i.RunId, e => e.ProducedByRunId, (i, e) => new { i.VersionId, e.Name, e.Number, e.CreatedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // Metadata is stored as text in every provider: narrow in SQL, then parse the few candidates here.
        var byMetadata = await evaluations.Where(e => e.MetadataJson.Contains("\"" + ModelMetadataKey + "\""))
            .Select(e => new { e.Name, e.Number, e.CreatedAt, e.MetadataJson })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var linked = byLineage.Select(e => (e.VersionId, e.Name, e.Number, e.CreatedAt, Link: EvaluationLink.Lineage)).ToList();
        foreach (var e in byMetadata)
        {
            if (ModelVersionOf(e.MetadataJson, access.Slug, model.Name) is { } number && modelVersions.FirstOrDefault(v => v.Number == number) is { } mv)
            {
                linked.Add((mv.Id, e.Name, e.Number, e.CreatedAt, EvaluationLink.Metadata));
            }
        }

        var rows = new List<ModelVersionEvaluation>();
        foreach (var mv in modelVersions)
        {
            var found = linked.Where(l => l.VersionId == mv.Id)
                .DistinctBy(l => (l.Name, l.Number))
                .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Number)
                .ToList();
            EvaluationMetrics? metrics = null;
            if (found.Count > 0)
            {
                var details = await artifacts.GetVersionAsync(user, access.Slug, found[0].Name, $"v{found[0].Number}", cancellationToken).ConfigureAwait(false);
                metrics = await ReadAsync(details, cancellationToken).ConfigureAwait(false);
            }

            rows.Add(new ModelVersionEvaluation(
                mv.Number,
                [.. aliases.Where(a => a.VersionId == mv.Id).Select(a => a.Name).Order(StringComparer.Ordinal)],
                found.Count > 0 ? found[0].Link : null,
                metrics,
                [.. found.Skip(1).Select(l => ArtifactReference.For(access.Slug, l.Name, l.Number))]));
        }

        var keys = rows.Where(r => r.Evaluation is not null).SelectMany(r => r.Evaluation!.Metrics.Select(m => m.Key))
            .Distinct(StringComparer.Ordinal).ToList();
        return new ModelEvaluationComparison(access.Slug, model.Name, rows, keys);
    }

    private async Task<EvaluationMetrics> ReadAsync(ArtifactVersionDetails version, CancellationToken cancellationToken)
    {
        var metrics = new List<EvaluationMetric>();
        var files = new List<EvaluationFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in version.Files.Where(f => reader.CanRead(f.Path)).Take(MaxFiles))
        {
            var result = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                files.Add(new EvaluationFile(file.Path, 0, error, []));
                continue;
            }

            var notes = result.Parsed!.Notes.ToList();
            var repeated = new List<string>();
            var count = 0;
            foreach (var (key, value) in result.Parsed.Metrics)
            {
                if (!seen.Add(key))
                {
                    repeated.Add(key);
                    continue;
                }

                metrics.Add(new EvaluationMetric(key, value, file.Path));
                count++;
            }

            if (repeated.Count > 0)
            {
                notes.Add($"Keys already read from another file were skipped: {Summarize(repeated)}.");
            }

            files.Add(new EvaluationFile(file.Path, count, null, notes));
        }

        var candidates = version.Files.Count(f => reader.CanRead(f.Path));
        if (candidates > MaxFiles)
        {
            files.Add(new EvaluationFile($"{candidates - MaxFiles} more files", 0, $"Only the first {MaxFiles} metrics files are read.", []));
        }

        return new EvaluationMetrics(version.ProjectSlug, version.ArtifactName, version.Version.Number, metrics, files);
    }

    private async Task<(ParsedMetricsFile? Parsed, string? Error)> ReadFileAsync(ArtifactFileEntry file, CancellationToken cancellationToken)
    {
        if (file.Size > MaxFileBytes)
        {
            return (null, $"The file is {ByteSize.Format(file.Size)}; metrics files over {ByteSize.Format(MaxFileBytes)} are not read.");
        }

        var stream = await blobs.OpenReadAsync(file.Sha256, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return (null, "The file's content is missing from storage.");
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return (await reader.ReadAsync(stream, file.Path, cancellationToken).ConfigureAwait(false), null);
            }
            catch (EvaluationFormatException e)
            {
                return (null, e.Message);
            }
        }
    }

    private static int? ModelVersionOf(string metadataJson, string slug, string modelName)
    {
        if (!ArtifactMetadata.Parse(metadataJson).TryGetValue(ModelMetadataKey, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            text = $"{slug}/{text}";
        }

        return ArtifactReference.TryParse(text, out var reference)
            && string.Equals(reference.ProjectSlug, slug, StringComparison.OrdinalIgnoreCase)
            && string.Equals(reference.ArtifactName, modelName, StringComparison.OrdinalIgnoreCase)
            ? ArtifactNames.ParseVersionNumber(reference.Version)
            : null;
    }

    public static string Summarize(IReadOnlyList<string> keys) =>
        keys.Count <= 5 ? string.Join(", ", keys) : $"{string.Join(", ", keys.Take(5))} and {keys.Count - 5} more";
}
