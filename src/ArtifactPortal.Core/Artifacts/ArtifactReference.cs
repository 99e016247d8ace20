namespace ArtifactPortal.Core.Artifacts;

/// <summary>
/// The identifier used everywhere: <c>project/artifact:v3</c>, <c>project/artifact:latest</c>, <c>project/artifact:best</c>;
/// without <c>:…</c> it means latest.
/// </summary>
public sealed record ArtifactReference(string ProjectSlug, string ArtifactName, string Version)
{
    public static bool TryParse(string? text, out ArtifactReference reference)
    {
        reference = null!;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0)
        {
            return false;
        }

        var rest = text[(slash + 1)..];
        var colon = rest.LastIndexOf(':');
        var name = colon < 0 ? rest : rest[..colon];
        var version = colon < 0 ? ArtifactNames.Latest : rest[(colon + 1)..];
        if (ArtifactNames.NameError(name) is not null || version.Length == 0)
        {
            return false;
        }

        reference = new ArtifactReference(text[..slash], name, version);
        return true;
    }

    public override string ToString() => $"{ProjectSlug}/{ArtifactName}:{Version}";

    public static string For(string projectSlug, string artifactName, int versionNumber) => $"{projectSlug}/{artifactName}:v{versionNumber}";
}
