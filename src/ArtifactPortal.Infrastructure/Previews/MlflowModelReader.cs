using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>The flavors, signature and provenance in an MLflow <c>MLmodel</c> file.</summary>
internal static class MlflowModelReader
{
    private const int MaxBytes = 1024 * 1024;

    public static async Task ReadAsync(Stream content, List<KeyValuePair<string, string>> details, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes];
        var length = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var yaml = new YamlStream();
        using (var reader = new StringReader(Encoding.UTF8.GetString(buffer, 0, length)))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException("it is not a YAML mapping.");
        }

        Add(details, "MLflow version", Scalar(root, "mlflow_version"));
        Add(details, "Created", Scalar(root, "utc_time_created"));
        Add(details, "Model UUID", Scalar(root, "model_uuid"));
        Add(details, "Run", Scalar(root, "run_id"));
        if (Child(root, "flavors") is YamlMappingNode flavors)
        {
            details.Add(new("Flavors", string.Join(", ", flavors.Children.Keys.Select(k => k.ToString()))));
            foreach (var (name, node) in flavors.Children)
            {
                if (node is YamlMappingNode flavor)
                {
                    var facts = flavor.Children
                        .Where(c => c.Value is YamlScalarNode && c.Key.ToString() is var key && (key.EndsWith("_version", StringComparison.Ordinal) || key is "loader_module" or "python_version" or "serialization_format"))
                        .Select(c => $"{c.Key}: {c.Value}");
                    Add(details, "Flavor " + name, string.Join(", ", facts));
                }
            }
        }

        if (Child(root, "signature") is YamlMappingNode signature)
        {
            Add(details, "Signature inputs", DescribeSchema(Scalar(signature, "inputs")));
            Add(details, "Signature outputs", DescribeSchema(Scalar(signature, "outputs")));
        }
    }

    // MLflow stores each schema as a JSON string: [{"name": "x", "type": "double"}, {"type": "tensor", "tensor-spec": {...}}].
    private static string? DescribeSchema(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var columns = document.RootElement.EnumerateArray().Select(column =>
            {
                var name = column.TryGetProperty("name", out var n) ? n.GetString() : null;
                var type = column.TryGetProperty("type", out var t) ? t.GetString() : "?";
                if (type == "tensor" && column.TryGetProperty("tensor-spec", out var spec))
                {
                    type = $"tensor {spec.GetProperty("dtype").GetString()} {spec.GetProperty("shape")}";
                }

                return name is null ? type : $"{name} ({type})";
            }).ToList();
            return PreviewLimits.Cell(string.Join(", ", columns));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return PreviewLimits.Cell(json);
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static void Add(List<KeyValuePair<string, string>> details, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            details.Add(new(key, value));
        }
    }
}
