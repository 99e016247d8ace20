using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Core.Evaluations;

/// <param name="Key">Dotted path of the value, e.g. <c>accuracy</c>, <c>per_class.cat.f1</c> or <c>test.loss</c>.</param>
/// <param name="File">The metrics file the value was read from.</param>
public sealed record EvaluationMetric(string Key, double Value, string File);

/// <param name="Error">Why nothing was read from the file (too large, malformed); null when it was read.</param>
/// <param name="Notes">What was left out of a file that was read (arrays, text values, repeated keys).</param>
public sealed record EvaluationFile(string Path, int MetricCount, string? Error, IReadOnlyList<string> Notes);

/// <summary>The metrics of one Evaluation artifact version, read from its JSON and CSV files.</summary>
public sealed record EvaluationMetrics(
    string ProjectSlug,
    string ArtifactName,
    int VersionNumber,
    IReadOnlyList<EvaluationMetric> Metrics,
    IReadOnlyList<EvaluationFile> Files)
{
    public string Identifier => ArtifactReference.For(ProjectSlug, ArtifactName, VersionNumber);

    public double? Value(string key) => Metrics.FirstOrDefault(m => m.Key == key)?.Value;
}

/// <summary>What a reader found in one file: metrics in file order, and what it skipped.</summary>
public sealed record ParsedMetricsFile(IReadOnlyList<KeyValuePair<string, double>> Metrics, IReadOnlyList<string> Notes);

/// <summary>The file is not a metrics file the reader understands; the message says why, for the page and the API.</summary>
public sealed class EvaluationFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How an evaluation was found for a model version.</summary>
public enum EvaluationLink
{
    /// <summary>Produced by a run that consumed the model version.</summary>
    Lineage,

    /// <summary>Metadata <c>model</c> names the model version.</summary>
    Metadata,
}

/// <param name="Evaluation">The newest evaluation linked to the version; null when there is none.</param>
/// <param name="OtherEvaluations">Older evaluations also linked to the version, as identifiers.</param>
public sealed record ModelVersionEvaluation(
    int ModelVersion,
    IReadOnlyList<string> Aliases,
    EvaluationLink? LinkedBy,
    EvaluationMetrics? Evaluation,
    IReadOnlyList<string> OtherEvaluations);

/// <summary>The evaluations of several versions of one model, side by side (newest version first).</summary>
public sealed record ModelEvaluationComparison(
    string ProjectSlug,
    string ModelName,
    IReadOnlyList<ModelVersionEvaluation> Versions,
    IReadOnlyList<string> MetricKeys)
{
    public double? Value(int modelVersion, string key) =>
        Versions.FirstOrDefault(v => v.ModelVersion == modelVersion)?.Evaluation?.Value(key);

    /// <summary>Value minus the baseline's value; null when either is missing.</summary>
    public double? Difference(int modelVersion, int baselineVersion, string key) =>
        Value(modelVersion, key) - Value(baselineVersion, key);
}

/// <summary>One evaluation under the name a chart legend shows for it (e.g. the model version it evaluated).</summary>
public sealed record EvaluationSeries(string Name, EvaluationMetrics? Metrics);
