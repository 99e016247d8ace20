using System.IO.Compression;
using ArtifactPortal.Core.Artifacts;
using Microsoft.Net.Http.Headers;

namespace ArtifactPortal.Web.Api;

/// <summary>
/// The responses that hand out a version's bytes — one file, a sandboxed HTML view, the whole version as zip — shared by
/// the API, the version page's view endpoint and the share links, so every way in serves files the same way.
/// </summary>
public static class VersionContentResults
{
    /// <summary>No allow-same-origin: that would hand the file the portal's origin and undo the sandbox.</summary>
    public const string SandboxPolicy = "sandbox allow-scripts";

    /// <summary>The file's bytes as a download with Range support.</summary>
    public static IResult Download(DateTimeOffset versionCreatedAt, ArtifactFileEntry file, Stream content) =>
        // The hash is the identity of the bytes: a strong ETag that never changes for this URL.
        TypedResults.Stream(
            content, file.MediaType, Path.GetFileName(file.Path), lastModified: versionCreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);

    /// <summary>The file as a document whose scripts run in an opaque origin, away from the portal's cookies, DOM and API.</summary>
    public static IResult SandboxedView(HttpContext context, ArtifactFileEntry file, Stream content)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = SandboxPolicy;
        headers.XContentTypeOptions = "nosniff";
        // Versions are immutable, but access is not: revalidate so a removed member or a revoked link stops seeing the file.
        headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(content, file.MediaType, entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
    }

    /// <summary>All files of the version as one zip, streamed as it is written.</summary>
    public static IResult Zip(ArtifactVersionDetails version, IBlobStore blobs, HttpContext context) =>
        TypedResults.Stream(
            stream => WriteZipAsync(stream, version, blobs, context.RequestAborted), "application/zip", $"{version.ArtifactName}-v{version.Version.Number}.zip");

    private static async Task WriteZipAsync(Stream output, ArtifactVersionDetails version, IBlobStore blobs, CancellationToken cancellationToken)
    {
        var body = new HeaderBufferingStream(output);
        await using var bodyScope = body.ConfigureAwait(false);
        var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await using (zip.ConfigureAwait(false))
        {
            foreach (var file in version.Files)
            {
                var entry = zip.CreateEntry(file.Path, ZipCompression(file.MediaType));
                entry.LastWriteTime = version.Version.CreatedAt;
                if (file.Size == 0)
                {
                    continue;
                }

                var content = await blobs.OpenReadAsync(file.Sha256, cancellationToken)
                    ?? throw new InvalidOperationException($"Blob {file.Sha256} of {version.Identifier} is missing.");
                await using (content.ConfigureAwait(false))
                {
                    var target = await entry.OpenAsync(cancellationToken);
                    await using (target.ConfigureAwait(false))
                    {
                        await content.CopyToAsync(target, cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Deflate only text: model weights, archives, images and columnar files barely shrink, and deflating them held a 2 GB zip
    /// download to the speed of one core's compressor instead of the disk's.
    /// </summary>
    private static CompressionLevel ZipCompression(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType is "application/json" or "application/xml" or "application/javascript"
            or "application/x-yaml" or "image/svg+xml" or "application/x-ndjson"
            ? CompressionLevel.Fastest
            : CompressionLevel.NoCompression;
}
