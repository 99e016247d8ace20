using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>Facts about a model file from its header only: nothing is loaded, and a pickle is never unpickled.</summary>
internal static class ModelSummaryReader
{
    private const string PickleWarning = "Loading a pickle runs code from the file: load it only if you trust whoever made it.";

    public static async Task<FilePreview> ReadAsync(string path, long size, string format, Stream content, CancellationToken cancellationToken)
    {
        var details = new List<KeyValuePair<string, string>>();
        switch (format)
        {
            case MediaTypes.MlflowModelFileName:
                await MlflowModelReader.ReadAsync(content, details, cancellationToken).ConfigureAwait(false);
                return new ModelPreview(path, size, "MLflow", "MLflow model description (MLmodel)", details);
            case "safetensors":
                await ReadSafetensorsAsync(content, size, details, cancellationToken).ConfigureAwait(false);
                return new ModelPreview(path, size, "safetensors", "safetensors", details);
            case "gguf":
                GgufHeaderReader.Read(content, details);
                return new ModelPreview(path, size, "GGUF (llama.cpp)", "GGUF", details);
            case "onnx":
                OnnxHeaderReader.Read(content, details);
                return new ModelPreview(path, size, "ONNX", "ONNX protobuf", details);
            default:
                return await SniffAsync(path, size, format, content, details, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<FilePreview> SniffAsync(
        string path, long size, string format, Stream content, List<KeyValuePair<string, string>> details, CancellationToken cancellationToken)
    {
        var magic = new byte[8];
        var length = await content.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var framework = format switch
        {
            "pt" or "pth" => "PyTorch",
            "ckpt" => "Checkpoint",
            "joblib" => "joblib",
            "h5" or "hdf5" or "keras" => "Keras / HDF5",
            _ => "pickle",
        };

        if (length >= 4 && magic.AsSpan(0, 4).SequenceEqual("PK\u0003\u0004"u8))
        {
            return Zip(path, size, format, framework, content, details);
        }

        if (length >= 8 && magic.AsSpan(0, 8).SequenceEqual("\u0089HDF\r\n\u001a\n"u8))
        {
            return new ModelPreview(path, size, "Keras / HDF5", "HDF5", details);
        }

        if (length >= 2 && magic[0] == 0x80 && magic[1] <= 5)
        {
            details.Add(new("Pickle protocol", magic[1].ToString(CultureInfo.InvariantCulture)));
            var described = format is "pt" or "pth" or "ckpt" ? "PyTorch legacy pickle" : "Python pickle";
            return new ModelPreview(path, size, framework, described, details, PickleWarning);
        }

        return new ModelPreview(path, size, framework, "Unknown", details, $"The first bytes do not look like a .{format} file.");
    }

    private static ModelPreview Zip(string path, long size, string format, string framework, Stream content, List<KeyValuePair<string, string>> details)
    {
        if (!content.CanSeek)
        {
            return new ModelPreview(path, size, framework, "Zip archive", details);
        }

        content.Position = 0;
        using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        details.Add(new("Entries", names.Count.ToString("N0", CultureInfo.InvariantCulture)));
        if (names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) || n == "data.pkl"))
        {
            var storages = names.Count(n => n.Contains("/data/", StringComparison.Ordinal) && !n.EndsWith('/'));
            details.Add(new("Tensor storages", storages.ToString("N0", CultureInfo.InvariantCulture)));
            return new ModelPreview(path, size, "PyTorch", "PyTorch zip archive (torch.save)", details, PickleWarning);
        }

        if (format == "keras" || names.Contains("config.json") && names.Any(n => n.EndsWith(".weights.h5", StringComparison.Ordinal)))
        {
            return new ModelPreview(path, size, "Keras", "Keras v3 archive", details);
        }

        return new ModelPreview(path, size, framework, "Zip archive", details);
    }

    private static async Task ReadSafetensorsAsync(Stream content, long size, List<KeyValuePair<string, string>> details, CancellationToken cancellationToken)
    {
        var prefix = new byte[8];
        await content.ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > PreviewLimits.MaxHeaderBytes || headerLength > (ulong)Math.Max(0, size - 8))
        {
            throw new InvalidDataException($"its header length ({headerLength:N0} bytes) does not fit the file.");
        }

        var header = new byte[headerLength];
        await content.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(header);
        var tensors = 0;
        long parameters = 0;
        var dtypes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var metadata = new List<KeyValuePair<string, string>>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                metadata.AddRange(entry.Value.EnumerateObject().Take(10).Select(m => new KeyValuePair<string, string>("Metadata: " + m.Name, m.Value.ToString())));
                continue;
            }

            tensors++;
            var dtype = entry.Value.GetProperty("dtype").GetString() ?? "?";
            dtypes[dtype] = dtypes.GetValueOrDefault(dtype) + 1;
            parameters += entry.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (product, dimension) => product * dimension.GetInt64());
        }

        details.Add(new("Tensors", tensors.ToString("N0", CultureInfo.InvariantCulture)));
        details.Add(new("Parameters", FormatCount(parameters)));
        details.Add(new("Data types", string.Join(", ", dtypes.Select(d => $"{d.Key} × {d.Value.ToString("N0", CultureInfo.InvariantCulture)}"))));
        details.AddRange(metadata);
    }

    public static string FormatCount(long count)
    {
        var exact = count.ToString("N0", CultureInfo.InvariantCulture);
        return count switch
        {
            >= 1_000_000_000 => $"{exact} ({(count / 1e9).ToString("0.##", CultureInfo.InvariantCulture)} B)",
            >= 1_000_000 => $"{exact} ({(count / 1e6).ToString("0.##", CultureInfo.InvariantCulture)} M)",
            _ => exact,
        };
    }

    internal static string ReadString(BinaryReader reader, ulong length)
    {
        if (length > PreviewLimits.MaxHeaderBytes)
        {
            throw new InvalidDataException($"a string of {length:N0} bytes is too long for a header.");
        }

        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }
}
