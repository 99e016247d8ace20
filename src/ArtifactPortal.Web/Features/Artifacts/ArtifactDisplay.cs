using System.Globalization;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>How the artifact pages show types, times, hashes and links, in one place so the pages agree.</summary>
public static class ArtifactDisplay
{
    public static string Icon(ArtifactType type) => type switch
    {
        ArtifactType.Dataset => Icons.Material.Outlined.TableChart,
        ArtifactType.Model => Icons.Material.Outlined.Psychology,
        ArtifactType.Evaluation => Icons.Material.Outlined.FactCheck,
        ArtifactType.Visualization => Icons.Material.Outlined.Insights,
        ArtifactType.Config => Icons.Material.Outlined.Tune,
        ArtifactType.Log => Icons.Material.Outlined.Article,
        _ => Icons.Material.Outlined.Category,
    };

    public static string ExactTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The first 12 hex digits: enough to tell files apart at a glance; the full hash goes in a tooltip.</summary>
    public static string ShortHash(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    public static string PrettyJson(JsonElement value) =>
        value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? JsonSerializer.Serialize(value, IndentedJson)
            : value.GetRawText();

    public static string ListLink(string slug) => $"p/{Uri.EscapeDataString(slug)}/artifacts";

    public static string ArtifactLink(string slug, string name) => $"{ListLink(slug)}/{Uri.EscapeDataString(name)}";

    public static string VersionLink(string slug, string name, int number) => $"{ArtifactLink(slug, name)}/v{number}";

    public static string CompareLink(string slug, string name, int from, int to) => $"{ArtifactLink(slug, name)}/compare?from=v{from}&to=v{to}";

    /// <summary>The sandboxed view of one file (<see cref="ArtifactViewEndpoints"/>), relative to the base address.</summary>
    public static string ViewLink(string slug, string name, int number, string path) =>
        $"{VersionLink(slug, name, number)}/view/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";

    public static bool IsHtml(ArtifactFileEntry file) => file.MediaType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
}
