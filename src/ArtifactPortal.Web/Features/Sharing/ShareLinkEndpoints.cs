using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.Web.Features.Sharing;

/// <summary>
/// The bytes behind a share link, for people without an account: one file, the sandboxed HTML view of one, or the zip.
/// All of them need a valid link that allows downloads (the HTML view hands out the bytes too); anything else is the same 404.
/// </summary>
public static class ShareLinkEndpoints
{
    public static WebApplication MapPortalShareLinks(this WebApplication app)
    {
        var shared = app.MapGroup("/s/{secret}").AllowAnonymous();
        shared.MapGet("/files/{**path}", FileAsync);
        shared.MapGet("/view/{**path}", ViewAsync);
        shared.MapGet("/zip", ZipAsync);
        return app;
    }

    private static async Task<IResult> FileAsync(
        string secret, string path, ShareLinkService links, IBlobStore blobs, CancellationToken cancellationToken) =>
        await OpenFileAsync(secret, path, links, blobs, cancellationToken) is var (version, file, content)
            ? VersionContentResults.Download(version.Version.CreatedAt, file, content)
            : NotFound();

    private static async Task<IResult> ViewAsync(
        string secret, string path, ShareLinkService links, IBlobStore blobs, HttpContext context, CancellationToken cancellationToken) =>
        await OpenFileAsync(secret, path, links, blobs, cancellationToken) is var (_, file, content)
            ? VersionContentResults.SandboxedView(context, file, content)
            : NotFound();

    private static async Task<IResult> ZipAsync(
        string secret, ShareLinkService links, IBlobStore blobs, HttpContext context, CancellationToken cancellationToken) =>
        await links.OpenAsync(secret, countUse: false, cancellationToken) is { Link.AllowDownload: true } shared
            ? VersionContentResults.Zip(shared.Version, blobs, context)
            : NotFound();

    // Downloads are not counted as uses: the page view that led to them was.
    private static async Task<(ArtifactVersionDetails, ArtifactFileEntry, Stream)?> OpenFileAsync(
        string secret, string path, ShareLinkService links, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (await links.OpenAsync(secret, countUse: false, cancellationToken) is not { Link.AllowDownload: true } shared
            || shared.Version.Files.FirstOrDefault(f => f.Path == path) is not { } file
            || await blobs.OpenReadAsync(file.Sha256, cancellationToken) is not { } content)
        {
            return null;
        }

        return (shared.Version, file, content);
    }

    // A body of its own keeps the status-code page (which needs a sign-in) from turning this into a login redirect.
    private static IResult NotFound() =>
        Results.Text("This link is no longer valid, or it does not allow downloads.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
