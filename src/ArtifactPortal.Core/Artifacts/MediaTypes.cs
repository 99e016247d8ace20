using Microsoft.AspNetCore.StaticFiles;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>The media type of a file from its name: ASP.NET Core's table plus the formats machine-learning work produces.</summary>
public static class MediaTypes
{
    public const string OctetStream = "application/octet-stream";
    public const string MlflowModelFileName = "MLmodel";

    private static readonly FileExtensionContentTypeProvider Provider = CreateProvider();

    public static string For(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = FileName(path);
        if (string.Equals(name, MlflowModelFileName, StringComparison.Ordinal))
        {
            return "application/x-mlflow-model+yaml";
        }

        return Provider.TryGetContentType(name, out var type) ? type : OctetStream;
    }

    /// <summary>The last segment of a relative path; artifact paths use forward slashes, uploads from Windows may not.</summary>
    public static string FileName(string path)
    {
        var slash = path.AsSpan().LastIndexOfAny('/', '\\');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    private static FileExtensionContentTypeProvider CreateProvider()
    {
        var provider = new FileExtensionContentTypeProvider();
        var extras = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".csv"] = "text/csv",
            [".tsv"] = "text/tab-separated-values",
            [".parquet"] = "application/vnd.apache.parquet",
            [".jsonl"] = "application/jsonl",
            [".ndjson"] = "application/x-ndjson",
            [".yaml"] = "application/yaml",
            [".yml"] = "application/yaml",
            [".md"] = "text/markdown",
            [".markdown"] = "text/markdown",
            [".log"] = "text/plain",
            [".py"] = "text/x-python",
            [".toml"] = "application/toml",
            [".ipynb"] = "application/x-ipynb+json",
            [".pt"] = "application/x-pytorch",
            [".pth"] = "application/x-pytorch",
            [".ckpt"] = "application/x-checkpoint",
            [".onnx"] = "application/x-onnx",
            [".safetensors"] = "application/x-safetensors",
            [".pkl"] = "application/x-python-pickle",
            [".pickle"] = "application/x-python-pickle",
            [".joblib"] = "application/x-joblib",
            [".h5"] = "application/x-hdf5",
            [".hdf5"] = "application/x-hdf5",
            [".keras"] = "application/x-keras",
            [".gguf"] = "application/x-gguf",
            [".npy"] = "application/x-npy",
            [".gz"] = "application/gzip",
        };
        foreach (var (extension, type) in extras)
        {
            provider.Mappings[extension] = type;
        }

        return provider;
    }
}
