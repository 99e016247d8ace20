namespace ArtifactPortal.Core.Evaluations;

/// <summary>Reads the metrics of one evaluation file (JSON or CSV) with bounded memory.</summary>
public interface IEvaluationMetricsReader
{
    /// <summary>Whether the path names a metrics file this reader understands (.json, .csv).</summary>
    bool CanRead(string path);

    /// <exception cref="EvaluationFormatException">The content is not a readable metrics file.</exception>
    Task<ParsedMetricsFile> ReadAsync(Stream content, string path, CancellationToken cancellationToken);
}
