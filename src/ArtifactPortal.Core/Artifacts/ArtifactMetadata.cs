using System.Text.Json;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>Version metadata: a flat JSON object of key → any JSON value.</summary>
public static class ArtifactMetadata
{
    public const int MaxJsonLength = 64 * 1024;
    public const int MaxKeyLength = 128;

    public static IReadOnlyDictionary<string, JsonElement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>The JSON to store, or an error that says what to fix.</summary>
    public static (string? Json, string? Error) Serialize(IReadOnlyDictionary<string, JsonElement>? metadata)
    {
        metadata ??= new Dictionary<string, JsonElement>();
        if (metadata.Keys.FirstOrDefault(k => k.Trim().Length == 0 || k.Length > MaxKeyLength || k.Any(char.IsControl)) is { } bad)
        {
            return (null, $"Metadata key '{ArtifactFilePath.Describe(bad)}' is empty, too long or has control characters.");
        }

        var json = JsonSerializer.Serialize(metadata);
        return json.Length > MaxJsonLength ? (null, $"Metadata is at most {MaxJsonLength / 1024} KB of JSON.") : (json, null);
    }
}
