using System.Security.Claims;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using Microsoft.Net.Http.Headers;

namespace ArtifactPortal.Web.Features.Analysis;

/// <summary>
/// Thumbnails by content hash, for lists and version pages. The hash never changes what it names, so browsers may keep
/// it for a year; "private" because the image shows a project's data and must not sit in shared caches.
/// </summary>
public static class ThumbnailEndpoints
{
    public const string CacheControl = "private, max-age=31536000, immutable";

    public static WebApplication MapPortalThumbnails(this WebApplication app)
    {
        app.MapGet("/p/{slug}/thumbnails/{sha256}.webp", GetAsync);
        return app;
    }

    public static string Url(string slug, string sha256) => $"/p/{Uri.EscapeDataString(slug)}/thumbnails/{sha256}.webp";

    private static async Task<IResult> GetAsync(
        string slug, string sha256, ClaimsPrincipal user, AnalysisService analysis, IBlobStore blobs, HttpContext context, CancellationToken cancellationToken)
    {
        // Missing, not a thumbnail of this project, or a project the caller cannot see: all look the same.
        if (!BlobHash.IsValid(sha256) || !await analysis.CanSeeThumbnailAsync(user, slug, sha256, cancellationToken)
            || await blobs.OpenReadAsync(sha256, cancellationToken) is not { } content)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = CacheControl;
        return Results.Stream(content, "image/webp", entityTag: new EntityTagHeaderValue($"\"{sha256}\""));
    }
}
