namespace ArtifactPortal.Core.Statistics;

/// <summary>Computes <see cref="FileStatistics"/> in one streaming pass with bounded memory.</summary>
public interface IFileStatisticsCalculator
{
    /// <summary>Whether the file looks tabular by name or media type (e.g. data.csv, data.tsv.gz, x.parquet, x.jsonl).</summary>
    bool CanCalculate(string path, string mediaType);

    /// <summary>Reports progress as the fraction (0..1) of <paramref name="length"/> bytes read.</summary>
    /// <exception cref="DatasetFormatException">The content is not a readable file of the expected format.</exception>
    Task<FileStatistics> CalculateAsync(
        Stream content, string path, long length, IProgress<double>? progress, CancellationToken cancellationToken);
}

/// <summary>Bad input (corrupt, truncated, ragged, not the format it claims): retrying cannot help.</summary>
public sealed class DatasetFormatException(string message, Exception? inner = null) : Exception(message, inner);
