using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
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

public sealed record ApiAlias(string Alias, int Version);

/// <summary>/api/v1 endpoints for artifacts, versions, aliases, downloads and staged uploads (docs/artifacts-api.md).</summary>
public static class ArtifactEndpoints
{
    public const string Sha256Header = "X-Content-SHA256";

    public static RouteGroupBuilder MapArtifactEndpoints(this RouteGroupBuilder api)
    {
        var artifacts = api.MapGroup("/projects/{slug}").WithTags("Artifacts");
        artifacts.MapPost("/artifacts", CreateAsync)
            .WithSummary("Create an artifact")
            .WithDescription("Creates a named artifact (type Dataset, Model, Evaluation, Visualization, Config, Log or Other) in the project. Needs Editor and a write token.")
            .Produces<ApiArtifact>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        artifacts.MapGet("/artifacts", ListAsync)
            .WithSummary("List artifacts")
            .WithDescription("Pages through the project's artifacts; filter with q (name or tag), type and tag, sort by updated, name or size.");
        artifacts.MapGet("/artifacts/{name}", GetAsync)
            .WithSummary("Get an artifact")
            .WithDescription("The artifact with its aliases (alias → version number).");
        artifacts.MapPatch("/artifacts/{name}", UpdateAsync)
            .WithSummary("Edit an artifact")
            .WithDescription("Changes the description and/or tags; omitted fields stay as they are.")
            .Produces<ApiArtifact>()
            .ProducesValidationProblem();
        artifacts.MapGet("/artifacts/{name}/versions", ListVersionsAsync)
            .WithSummary("List versions")
            .WithDescription("Versions newest first, deleted ones included with who deleted them and why.");
        artifacts.MapGet("/artifacts/{name}/versions/{reference}", GetVersionAsync)
            .WithSummary("Get a version")
            .WithDescription("A version by number (v3 or 3) or alias (latest, best, …) with its files, metadata and damagedFiles: files whose stored content failed the integrity check.");
        artifacts.MapDelete("/artifacts/{name}/versions/{reference}", DeleteVersionAsync)
            .WithSummary("Delete a version")
            .WithDescription("Deletes a version (Maintainer and up) with a reason (query parameter). Its number stays in the history; its files are removed by the storage clean-up job once no other version uses them.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();
        artifacts.MapPut("/artifacts/{name}/aliases/{alias}", SetAliasAsync)
            .WithSummary("Set an alias")
            .WithDescription("Points the alias at a live version, moving it when it pointed elsewhere; the move is audited.")
            .Produces<ApiAlias>()
            .ProducesValidationProblem();
        artifacts.MapDelete("/artifacts/{name}/aliases/{alias}", RemoveAliasAsync)
            .WithSummary("Remove an alias")
            .WithDescription("Removes a user alias; 'latest' cannot be removed.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        artifacts.MapGet("/artifacts/{name}/versions/{reference}/files/{**path}", DownloadFileAsync)
            .WithSummary("Download a file")
            .WithDescription("The file's bytes. Supports Range requests; the ETag is the SHA-256.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream");
        artifacts.MapGet("/artifacts/{name}/versions/{reference}/zip", DownloadZipAsync)
            .WithSummary("Download a version as zip")
            .WithDescription("All files of the version as one streamed zip archive.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status409Conflict);
        artifacts.MapPost("/artifacts/{name}/uploads", BeginUploadAsync)
            .WithSummary("Begin an upload")
            .WithDescription("Starts a staged upload of the next version: declare every file (path, size, optional SHA-256) and metadata. "
                + "Then PUT each file and commit. 413 when a file is larger than the site's limit, 507 when the project's storage quota would be exceeded.")
            .WithTags("Uploads")
            .Produces<UploadStatus>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        api.MapGet("/resolve", ResolveAsync).WithTags("Artifacts")
            .WithSummary("Resolve an identifier")
            .WithDescription("Finds the version named by an identifier such as project/artifact:v3 or project/artifact:latest (query parameter id).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        var uploads = api.MapGroup("/uploads").WithTags("Uploads");
        uploads.MapGet("/{id:guid}", (ClaimsPrincipal user, Guid id, UploadService service, CancellationToken ct) => service.GetAsync(user, id, ct))
            .WithSummary("Get an upload")
            .WithDescription("Which files are complete and how many bytes of each were received: where to resume.");
        uploads.MapPut("/{id:guid}/files/{index:int}", PutFileAsync).WithMetadata(new DisableRequestSizeLimitAttribute())
            .WithSummary("Upload a file or a chunk")
            .WithDescription($"Streams file number index of the upload. Without Content-Range the body is the whole file; with 'Content-Range: bytes START-END/TOTAL' "
                + $"it is one chunk that continues the received prefix. An optional {Sha256Header} header must match the content (422 otherwise). Re-sending is allowed.")
            // Any label: the body is the file's bytes. curl --data-binary calls it a form, and a narrower list made such a PUT
            // match no endpoint at all, which the fallback policy answered with a misleading 401.
            .Accepts(typeof(Stream), "application/octet-stream", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        uploads.MapPost("/{id:guid}/commit", CommitAsync)
            .WithSummary("Commit an upload")
            .WithDescription("Turns a complete upload into the next version of the artifact and moves 'latest' to it.")
            .Produces<ApiVersion>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        uploads.MapDelete("/{id:guid}", async (ClaimsPrincipal user, Guid id, UploadService service, CancellationToken ct) =>
        {
            await service.CancelAsync(user, id, ct);
            return TypedResults.NoContent();
        })
            .WithSummary("Cancel an upload")
            .WithDescription("Drops the upload and everything staged for it.");
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
        var list = await service.ListVersionsAsync(user, slug, name, page ?? 1, pageSize ?? 50, cancellationToken);
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
        return result.Succeeded ? TypedResults.Ok(new ApiAlias(alias, result.Value)) : ApiErrors.Invalid(result);
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
        var (file, versionCreatedAt) = await service.GetFileAsync(user, slug, name, reference, path, cancellationToken);
        var content = await blobs.OpenReadAsync(file.Sha256, cancellationToken)
            ?? throw new PortalNotFoundException($"The stored content of {ArtifactFilePath.Describe(path)} is missing; tell an administrator.");
        return VersionContentResults.Download(versionCreatedAt, file, content);
    }

    private static async Task<IResult> DownloadZipAsync(
        ClaimsPrincipal user, string slug, string name, string reference, ArtifactService service, IBlobStore blobs, HttpContext context,
        CancellationToken cancellationToken)
    {
        var version = await service.GetVersionAsync(user, slug, name, reference, cancellationToken);
        if (version.Version.IsDeleted)
        {
            throw new PortalConflictException($"{version.Identifier} was deleted; its files are gone.");
        }

        return VersionContentResults.Zip(version, blobs, context);
    }

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
            throw new PortalRequestException($"Content-Range must look like 'bytes 0-8388607/123456789', not '{rangeHeader}'.");
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

    internal static ApiVersion ToApi(ArtifactVersionDetails d) =>
        ToApi(d.ProjectSlug, d.ArtifactName, d.Version) with
        {
            Metadata = d.Metadata,
            ProducedByRunId = d.ProducedByRunId,
            Files = [.. d.Files.Select(f => new ApiFile(f.Path, f.Size, f.Sha256, f.MediaType, FileUrl(d.ProjectSlug, d.ArtifactName, d.Version.Number, f.Path)))],
            DamagedFiles = [.. d.Files.Where(f => d.DamagedSha256.Contains(f.Sha256)).Select(f => f.Path)],
        };
}
