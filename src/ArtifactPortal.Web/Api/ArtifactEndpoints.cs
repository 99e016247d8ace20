using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace ArtifactPortal.Web.Api;

public sealed record ApiArtifact(
    Guid Id,
    string Name,
    string Type,
    string Description,
    IReadOnlyList<string> Tags,
    int? LatestVersion,
    int VersionCount,
    long LatestVersionSize,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, int>? Aliases = null);

public sealed record ApiFile(string Path, long Size, string Sha256, string MediaType, string DownloadUrl);

public sealed record ApiDeletion(DateTimeOffset At, string? By, string? Reason);

public sealed record ApiVersion(
    string Artifact,
    int Number,
    string Identifier,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    int FileCount,
    long TotalSize,
    IReadOnlyList<string> Aliases,
    ApiDeletion? Deleted,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    Guid? ProducedByRunId = null,
    IReadOnlyList<ApiFile>? Files = null,
    IReadOnlyList<string>? DamagedFiles = null);

public sealed record ApiPage<T>(IReadOnlyList<T> Items, int Total);

public sealed record ApiNewArtifact(string Name, string Type, string? Description, IReadOnlyList<string>? Tags);

public sealed record ApiArtifactChanges(string? Description, IReadOnlyList<string>? Tags);

public sealed record ApiSetAlias(int Version);

/// <summary>/api/v1 endpoints for artifacts, versions, aliases, downloads and staged uploads (docs/artifacts-api.md).</summary>
public static class ArtifactEndpoints
{
    public const string Sha256Header = "X-Content-SHA256";

    public static RouteGroupBuilder MapArtifactEndpoints(this RouteGroupBuilder api)
    {
        var artifacts = api.MapGroup("/projects/{slug}/artifacts").WithTags("Artifacts");
        artifacts.MapPost("", CreateAsync);
        artifacts.MapGet("", ListAsync);
        artifacts.MapGet("/{name}", GetAsync);
        artifacts.MapPatch("/{name}", UpdateAsync);
        artifacts.MapGet("/{name}/versions", ListVersionsAsync);
        artifacts.MapGet("/{name}/versions/{reference}", GetVersionAsync);
        artifacts.MapDelete("/{name}/versions/{reference}", DeleteVersionAsync);
        artifacts.MapPut("/{name}/aliases/{alias}", SetAliasAsync);
        artifacts.MapDelete("/{name}/aliases/{alias}", RemoveAliasAsync);
        artifacts.MapGet("/{name}/versions/{reference}/files/{**path}", DownloadFileAsync);
        artifacts.MapGet("/{name}/versions/{reference}/zip", DownloadZipAsync);
        artifacts.MapPost("/{name}/uploads", BeginUploadAsync);
        api.MapGet("/resolve", ResolveAsync).WithTags("Artifacts");

        var uploads = api.MapGroup("/uploads/{id:guid}").WithTags("Uploads");
        uploads.MapGet("", (ClaimsPrincipal user, Guid id, UploadService service, CancellationToken ct) => service.GetAsync(user, id, ct));
        uploads.MapPut("/files/{index:int}", PutFileAsync).WithMetadata(new DisableRequestSizeLimitAttribute());
        uploads.MapPost("/commit", CommitAsync);
        uploads.MapDelete("", async (ClaimsPrincipal user, Guid id, UploadService service, CancellationToken ct) =>
        {
            await service.CancelAsync(user, id, ct);
            return TypedResults.NoContent();
        });
        return api;
    }

    public static string FileUrl(string slug, string name, int version, string path) =>
        $"{ApiEndpoints.Prefix}/projects/{Uri.EscapeDataString(slug)}/artifacts/{Uri.EscapeDataString(name)}/versions/v{version}/files/"
        + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    public static string ZipUrl(string slug, string name, int version) =>
        $"{ApiEndpoints.Prefix}/projects/{Uri.EscapeDataString(slug)}/artifacts/{Uri.EscapeDataString(name)}/versions/v{version}/zip";

    private static async Task<IResult> CreateAsync(
        ClaimsPrincipal user, string slug, ApiNewArtifact body, ArtifactService service, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ArtifactType>(body.Type, ignoreCase: true, out var type) || !Enum.IsDefined(type))
        {
            return ApiErrors.Problem(StatusCodes.Status400BadRequest, $"Type must be one of {string.Join(", ", Enum.GetNames<ArtifactType>())}.");
        }

        var result = await service.CreateAsync(user, slug, new NewArtifact(body.Name, type, body.Description, body.Tags), cancellationToken);
        return result.Succeeded
            ? TypedResults.Created($"{ApiEndpoints.Prefix}/projects/{slug}/artifacts/{result.Value!.Name}", ToApi(result.Value))
            : ApiErrors.Invalid(result);
    }

    private static async Task<IResult> UpdateAsync(
        ClaimsPrincipal user, string slug, string name, ApiArtifactChanges body, ArtifactService service, CancellationToken cancellationToken)
    {
        var current = await service.GetAsync(user, slug, name, cancellationToken);
        var result = await service.UpdateAsync(
            user, slug, name, new ArtifactChanges(body.Description ?? current.Summary.Description, body.Tags ?? current.Summary.Tags), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(ToApi(result.Value!)) : ApiErrors.Invalid(result);
    }

    private static async Task<ApiPage<ApiArtifact>> ListAsync(
        ClaimsPrincipal user, string slug, ArtifactService service, string? q, string? type, string? tag, string? sort, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var query = new ArtifactQuery(
            q,
            Enum.TryParse<ArtifactType>(type, ignoreCase: true, out var t) ? t : null,
            tag,
            Enum.TryParse<ArtifactSort>(sort, ignoreCase: true, out var s) ? s : ArtifactSort.Updated,
            page ?? 1,
            pageSize ?? 50);
        var list = await service.ListAsync(user, slug, query, cancellationToken);
        return new ApiPage<ApiArtifact>([.. list.Items.Select(a => ToApi(a))], list.Total);
    }

    private static async Task<ApiArtifact> GetAsync(ClaimsPrincipal user, string slug, string name, ArtifactService service, CancellationToken cancellationToken)
    {
        var details = await service.GetAsync(user, slug, name, cancellationToken);
        return ToApi(details.Summary, details.Aliases);
    }

    private static async Task<ApiPage<ApiVersion>> ListVersionsAsync(
        ClaimsPrincipal user, string slug, string name, int? page, int? pageSize, ArtifactService service, CancellationToken cancellationToken)
    {
        var list = await service.ListVersionPageAsync(user, slug, name, page ?? 1, pageSize ?? 50, cancellationToken);
        return new ApiPage<ApiVersion>([.. list.Versions.Items.Select(v => ToApi(list.ProjectSlug, list.ArtifactName, v))], list.Versions.Total);
    }

    private static async Task<ApiVersion> GetVersionAsync(
        ClaimsPrincipal user, string slug, string name, string reference, ArtifactService service, CancellationToken cancellationToken) =>
        ToApi(await service.GetVersionAsync(user, slug, name, reference, cancellationToken));

    private static async Task<ApiVersion> ResolveAsync(ClaimsPrincipal user, string id, ArtifactService service, CancellationToken cancellationToken) =>
        ToApi(await service.ResolveAsync(user, id, cancellationToken));

    private static async Task<IResult> DeleteVersionAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string? reason, ArtifactService service, CancellationToken cancellationToken)
    {
        var result = await service.DeleteVersionAsync(user, slug, name, reference, reason ?? "", cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : ApiErrors.Invalid(result);
    }

    private static async Task<IResult> SetAliasAsync(
        ClaimsPrincipal user, string slug, string name, string alias, ApiSetAlias body, ArtifactService service, CancellationToken cancellationToken)
    {
        var result = await service.SetAliasAsync(user, slug, name, alias, body.Version, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new { alias, version = result.Value }) : ApiErrors.Invalid(result);
    }

    private static async Task<IResult> RemoveAliasAsync(
        ClaimsPrincipal user, string slug, string name, string alias, ArtifactService service, CancellationToken cancellationToken)
    {
        await service.RemoveAliasAsync(user, slug, name, alias, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DownloadFileAsync(
        ClaimsPrincipal user, string slug, string name, string reference, string path, ArtifactService service, IBlobStore blobs,
        CancellationToken cancellationToken)
    {
        var version = await service.GetVersionAsync(user, slug, name, reference, cancellationToken);
        var file = version.Files.FirstOrDefault(f => f.Path == path)
            ?? throw new ArtifactNotFoundException($"{version.Identifier} has no file {ArtifactFilePath.Describe(path)}.");
        var content = await blobs.OpenReadAsync(file.Sha256, cancellationToken)
            ?? throw new ArtifactNotFoundException($"The stored content of {ArtifactFilePath.Describe(path)} is missing; tell an administrator.");
        // The hash is the identity of the bytes: a strong ETag that never changes for this URL.
        return TypedResults.Stream(
            content, file.MediaType, Path.GetFileName(file.Path), lastModified: version.Version.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);
    }

    private static async Task<IResult> DownloadZipAsync(
        ClaimsPrincipal user, string slug, string name, string reference, ArtifactService service, IBlobStore blobs, HttpContext context,
        CancellationToken cancellationToken)
    {
        var version = await service.GetVersionAsync(user, slug, name, reference, cancellationToken);
        if (version.Version.IsDeleted)
        {
            throw new ArtifactConflictException($"{version.Identifier} was deleted; its files are gone.");
        }

        var fileName = $"{version.ArtifactName}-v{version.Version.Number}.zip";
        // ZipArchive ends each entry with a synchronous Dispose (DeflateStream writes its last block), which Kestrel refuses
        // by default; those writes are a few KB per entry, the file data itself goes out asynchronously.
        context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
        return TypedResults.Stream(stream => WriteZipAsync(stream, version, blobs, context.RequestAborted), "application/zip", fileName);
    }

    private static async Task WriteZipAsync(Stream output, ArtifactVersionDetails version, IBlobStore blobs, CancellationToken cancellationToken)
    {
        var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await using (zip.ConfigureAwait(false))
        {
            foreach (var file in version.Files)
            {
                var content = await blobs.OpenReadAsync(file.Sha256, cancellationToken)
                    ?? throw new InvalidOperationException($"Blob {file.Sha256} of {version.Identifier} is missing.");
                await using (content.ConfigureAwait(false))
                {
                    var entry = zip.CreateEntry(file.Path, ZipCompression(file.MediaType));
                    entry.LastWriteTime = version.Version.CreatedAt;
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

    private static async Task<IResult> BeginUploadAsync(
        ClaimsPrincipal user, string slug, string name, BeginUpload body, UploadService service, CancellationToken cancellationToken)
    {
        var upload = await service.BeginAsync(user, slug, name, body, cancellationToken);
        return TypedResults.Created($"{ApiEndpoints.Prefix}/uploads/{upload.Id}", upload);
    }

    private static async Task<UploadFileStatus> PutFileAsync(
        ClaimsPrincipal user, Guid id, int index, HttpRequest request, UploadService service, CancellationToken cancellationToken)
    {
        var sha256 = request.Headers[Sha256Header].FirstOrDefault();
        if (request.Headers.ContentRange.FirstOrDefault() is not { } rangeHeader)
        {
            return await service.PutFileAsync(user, id, index, request.Body, sha256, cancellationToken);
        }

        if (!ContentRangeHeaderValue.TryParse(rangeHeader, out var range) || range is not { From: { } from, To: { } to, Length: { } total }
            || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactRequestException($"Content-Range must look like 'bytes 0-8388607/123456789', not '{rangeHeader}'.");
        }

        return await service.PutChunkAsync(user, id, index, request.Body, new ChunkRange(from, to, total), sha256, cancellationToken);
    }

    private static async Task<IResult> CommitAsync(ClaimsPrincipal user, Guid id, UploadService service, CancellationToken cancellationToken)
    {
        var version = await service.CommitAsync(user, id, cancellationToken);
        var api = ToApi(version);
        return TypedResults.Created(
            $"{ApiEndpoints.Prefix}/projects/{version.ProjectSlug}/artifacts/{version.ArtifactName}/versions/v{version.Version.Number}", api);
    }

    private static ApiArtifact ToApi(ArtifactSummary a, IReadOnlyDictionary<string, int>? aliases = null) =>
        new(a.Id, a.Name, a.Type.ToString(), a.Description, a.Tags, a.LatestVersion, a.VersionCount, a.LatestVersionSize, a.CreatedAt, a.UpdatedAt, aliases);

    private static ApiVersion ToApi(string slug, string artifact, ArtifactVersionSummary v) =>
        new(artifact, v.Number, ArtifactReference.For(slug, artifact, v.Number), v.CreatedAt, v.CreatedBy, v.FileCount, v.TotalSize, v.Aliases,
            v.DeletedAt is { } at ? new ApiDeletion(at, v.DeletedBy, v.DeleteReason) : null);

    private static ApiVersion ToApi(ArtifactVersionDetails d) =>
        ToApi(d.ProjectSlug, d.ArtifactName, d.Version) with
        {
            Metadata = d.Metadata,
            ProducedByRunId = d.ProducedByRunId,
            Files = [.. d.Files.Select(f => new ApiFile(f.Path, f.Size, f.Sha256, f.MediaType, FileUrl(d.ProjectSlug, d.ArtifactName, d.Version.Number, f.Path)))],
            DamagedFiles = [.. d.Files.Where(f => d.DamagedSha256.Contains(f.Sha256)).Select(f => f.Path)],
        };
}
