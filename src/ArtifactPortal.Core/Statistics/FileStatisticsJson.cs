using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArtifactPortal.Core.Statistics;

/// <summary>The one JSON shape of <see cref="FileStatistics"/>: in the database, from the API and from `stats --json`.</summary>
public static class FileStatisticsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static string Serialize(FileStatistics statistics, bool indented = false) =>
        JsonSerializer.Serialize(statistics, indented ? Indented : Options);

    public static FileStatistics? Deserialize(string json) => JsonSerializer.Deserialize<FileStatistics>(json, Options);
}
