namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>How much of a file a preview reads at most.</summary>
public static class PreviewLimits
{
    public const int MaxRows = 100;
    public const int HeadBytes = 64 * 1024;
    public const int TailBytes = 16 * 1024;

    /// <summary>Cells longer than this are cut, so one huge field cannot fill the page.</summary>
    public const int MaxCellChars = 500;

    /// <summary>JSON up to this size is parsed and indented; larger JSON is shown as it is.</summary>
    public const int MaxPrettyJsonBytes = 1024 * 1024;

    /// <summary>A Parquet footer is at the end: a stream that cannot seek is copied to a temporary file up to this size.</summary>
    public const long MaxParquetSpoolBytes = 1024L * 1024 * 1024;

    /// <summary>Model headers (safetensors JSON, MLmodel YAML) larger than this are not parsed.</summary>
    public const int MaxHeaderBytes = 16 * 1024 * 1024;

    public static string Cell(string? value) =>
        value is { Length: > MaxCellChars } ? string.Concat(value.AsSpan(0, MaxCellChars), "…") : value ?? "";
}
