using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>
/// Serves a file of a version for the version page's iframe, as a sandboxed document: its scripts run (Plotly, Bokeh and
/// Altair exports need them) but in an opaque origin, so they cannot read the portal's cookies, DOM or API.
/// </summary>
public static class ArtifactViewEndpoints
{
    public static WebApplication MapPortalArtifactViews(this WebApplication app)
    {
        app.MapGet("/p/{slug}/artifacts/{name}/v{number:int}/view/{**path}", ViewFileAsync);
        return app;
    }

    private static async Task<IResult> ViewFileAsync(
        string slug, string name, int number, string path, ClaimsPrincipal user, ArtifactService artifacts, IBlobStore blobs,
        HttpContext context, CancellationToken cancellationToken)
    {
        ArtifactFileEntry file;
        try
        {
            (file, _) = await artifacts.GetFileAsync(user, slug, name, number.ToString(CultureInfo.InvariantCulture), path, cancellationToken);
        }
        catch (Exception e) when (e is ProjectNotFoundException or PortalNotFoundException)
        {
            // Missing and not allowed look the same, so outsiders learn nothing.
            return Results.NotFound();
        }
        catch (PortalAccessDeniedException e)
        {
            return Results.Text(e.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        if (await blobs.OpenReadAsync(file.Sha256, cancellationToken) is not { } content)
        {
            return Results.NotFound();
        }

        return VersionContentResults.SandboxedView(context, file, content);
    }
}
