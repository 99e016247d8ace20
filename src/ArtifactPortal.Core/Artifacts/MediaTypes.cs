using Microsoft.AspNetCore.StaticFiles;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>The media type a file is served and previewed as, from its name.</summary>
public static class MediaTypes
{
    public const string Fallback = "application/octet-stream";

    private static readonly FileExtensionContentTypeProvider Provider = new();

    public static string For(string path) => Provider.TryGetContentType(path, out var type) ? type : Fallback;
}
