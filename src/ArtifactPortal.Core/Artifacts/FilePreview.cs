namespace ArtifactPortal.Core.Artifacts;

// The previews of one file, a closed family: the version page switches on the type.

/// <summary>What the version page shows for one file; made by the preview service in Infrastructure.</summary>
public abstract record FilePreview(string Path, long Size)
{
    public string FileName => MediaTypes.FileName(Path);
}

/// <summary>The first rows of a CSV, TSV, Parquet or JSON Lines file.</summary>
/// <param name="Format">Shown to people: <c>CSV</c>, <c>TSV</c>, <c>Parquet</c>, <c>JSON Lines</c>.</param>
/// <param name="HasMoreRows">The file has rows after the last one shown.</param>
/// <param name="Warning">Set when the reader stopped at a bad row after reading some good ones.</param>
public sealed record TablePreview(
    string Path,
    long Size,
    string Format,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string?>> Rows,
    bool HasMoreRows,
    string? Warning = null) : FilePreview(Path, Size);

/// <summary>Text to highlight; a large file gives its head and tail and <see cref="IsTruncated"/> is set.</summary>
/// <param name="Language">The highlight.js language, or <c>plaintext</c>.</param>
/// <param name="Tail">The end of the file when the middle was left out, else null.</param>
public sealed record TextPreview(string Path, long Size, string Language, string Head, string? Tail) : FilePreview(Path, Size)
{
    public bool IsTruncated => Tail is not null;
}

public sealed record MarkdownPreview(string Path, long Size, string Markdown) : FilePreview(Path, Size);

/// <summary>The page shows it from a content address it knows; nothing of the file is read.</summary>
public sealed record ImagePreview(string Path, long Size) : FilePreview(Path, Size);

/// <summary>Shown in a sandboxed frame from an address the page knows; nothing of the file is read.</summary>
public sealed record HtmlPreview(string Path, long Size) : FilePreview(Path, Size);

/// <summary>What could be learned about a model file without loading it.</summary>
/// <param name="Framework">PyTorch, ONNX, safetensors, GGUF, Keras / HDF5, pickle, MLflow, or Unknown.</param>
/// <param name="Format">The file format in words, e.g. <c>PyTorch zip archive</c>.</param>
/// <param name="Details">Ordered facts for a key/value list (tensor count, dtypes, flavors, signature…).</param>
/// <param name="Warning">A caution for people, e.g. that loading a pickle runs code, or what could not be read.</param>
public sealed record ModelPreview(
    string Path,
    long Size,
    string Framework,
    string Format,
    IReadOnlyList<KeyValuePair<string, string>> Details,
    string? Warning = null) : FilePreview(Path, Size);

/// <summary>No preview: the kind has none, or the file could not be read; <see cref="Message"/> says which in words.</summary>
/// <param name="IsError">The file looked previewable but reading it failed (malformed, cut short).</param>
public sealed record UnavailablePreview(string Path, long Size, string Message, bool IsError = false) : FilePreview(Path, Size);
