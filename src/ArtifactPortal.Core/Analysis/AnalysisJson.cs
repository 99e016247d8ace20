using System.Text.Json;
using System.Text.Json.Serialization;
using ArtifactPortal.Core.Statistics;

namespace ArtifactPortal.Core.Analysis;

/// <summary>How <see cref="FileStatistics"/> is stored in <see cref="VersionFileStatistics.StatisticsJson"/>.</summary>
public static class AnalysisJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(FileStatistics statistics) => JsonSerializer.Serialize(statistics, Options);

    public static FileStatistics? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize<FileStatistics>(json, Options);
}
