namespace ArtifactPortal.Core.Artifacts;

/// <summary>Chooses the preview of a file from its name, media type and size, before any byte is read.</summary>
public static class PreviewClassifier
{
    /// <summary>Larger images are not put inline: the browser would download all of it to show a preview.</summary>
    public const long MaxImageBytes = 25L * 1024 * 1024;

    public const long MaxHtmlBytes = 50L * 1024 * 1024;

    /// <summary>Larger Markdown is shown as text (its head and tail) instead of rendered whole.</summary>
    public const long MaxMarkdownBytes = 1024 * 1024;

    private static readonly HashSet<string> TableFormats = new(StringComparer.OrdinalIgnoreCase) { "csv", "tsv", "parquet", "jsonl", "ndjson" };

    private static readonly HashSet<string> ImageFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        "png", "jpg", "jpeg", "gif", "webp", "bmp", "avif", "ico", "svg",
    };

    private static readonly HashSet<string> ModelFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        "pt", "pth", "ckpt", "onnx", "safetensors", "pkl", "pickle", "joblib", "h5", "hdf5", "keras", "gguf", MediaTypes.MlflowModelFileName,
    };

    private static readonly Dictionary<string, string> TextLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["json"] = "json",
        ["ipynb"] = "json",
        ["geojson"] = "json",
        ["yaml"] = "yaml",
        ["yml"] = "yaml",
        ["py"] = "python",
        ["log"] = "log",
        ["out"] = "log",
        ["err"] = "log",
        ["txt"] = "plaintext",
        ["text"] = "plaintext",
        ["xml"] = "xml",
        ["sh"] = "bash",
        ["bash"] = "bash",
        ["toml"] = "ini",
        ["ini"] = "ini",
        ["cfg"] = "ini",
        ["conf"] = "ini",
        ["sql"] = "sql",
        ["js"] = "javascript",
        ["mjs"] = "javascript",
        ["r"] = "r",
        ["dockerfile"] = "dockerfile",
        ["md"] = "markdown",
        ["markdown"] = "markdown",
    };

    public static PreviewPlan Classify(string path, string? mediaType, long size)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = MediaTypes.FileName(path);
        var gzipped = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && name.Length > 3;
        if (gzipped)
        {
            name = name[..^3];
        }

        var format = FormatOf(name);
        if (TableFormats.Contains(format))
        {
            // Parquet compresses inside; a gzipped Parquet file would have to be inflated whole to find its footer.
            return gzipped && format.Equals("parquet", StringComparison.OrdinalIgnoreCase)
                ? None(format, "Compressed Parquet files have no preview.")
                : new PreviewPlan(PreviewKind.Table, format.ToLowerInvariant(), Gzipped: gzipped);
        }

        if (TextLanguages.TryGetValue(format, out var language))
        {
            return format is "md" or "markdown" && !gzipped && size <= MaxMarkdownBytes
                ? new PreviewPlan(PreviewKind.Markdown, format)
                : new PreviewPlan(PreviewKind.Text, format, language, gzipped);
        }

        if (gzipped)
        {
            return None(format, "Compressed files of this kind have no preview.");
        }

        if (ModelFormats.Contains(format))
        {
            return new PreviewPlan(PreviewKind.Model, format);
        }

        if (ImageFormats.Contains(format))
        {
            return size <= MaxImageBytes
                ? new PreviewPlan(PreviewKind.Image, format)
                : None(format, $"Images over {ByteSize.Format(MaxImageBytes)} are not shown inline.");
        }

        if (format is "html" or "htm")
        {
            return size <= MaxHtmlBytes
                ? new PreviewPlan(PreviewKind.Html, format)
                : None(format, $"HTML files over {ByteSize.Format(MaxHtmlBytes)} are not shown inline.");
        }

        return FromMediaType(format, mediaType);
    }

    private static PreviewPlan FromMediaType(string format, string? mediaType)
    {
        var type = mediaType?.Split(';', 2)[0].Trim() ?? "";
        if (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return None(format, "This image format has no preview.");
        }

        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return new PreviewPlan(PreviewKind.Text, format, "json");
        }

        if (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            return new PreviewPlan(PreviewKind.Text, format, "plaintext");
        }

        return None(format, "There is no preview for this kind of file.");
    }

    // Extensionless names that are formats of their own: MLmodel, Dockerfile.
    private static string FormatOf(string name)
    {
        if (string.Equals(name, MediaTypes.MlflowModelFileName, StringComparison.Ordinal))
        {
            return MediaTypes.MlflowModelFileName;
        }

        var dot = name.LastIndexOf('.');
        return dot < 0 ? name.ToLowerInvariant() : name[(dot + 1)..].ToLowerInvariant();
    }

    private static PreviewPlan None(string format, string reason) => new(PreviewKind.None, format, Reason: reason);
}
