using System.Globalization;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Web.Features.Audit;

/// <summary>CSV downloads of the audit log; the Core service checks the caller, as it does for the pages.</summary>
public static class AuditCsvEndpoints
{
    public const string SitePath = "/admin/audit.csv";

    /// <summary>Relative to the base address, for links on pages.</summary>
    public const string SiteLink = "admin/audit.csv";

    public static string ProjectLink(string slug) => $"p/{Uri.EscapeDataString(slug)}/audit.csv";

    public static WebApplication MapPortalAuditExports(this WebApplication app)
    {
        app.MapGet("/p/{slug}/audit.csv", ExportProjectAsync);
        app.MapGet(SitePath, ExportSiteWideAsync).RequireAuthorization(PortalPolicies.SiteAdministrator);
        return app;
    }

    private static async Task<IResult> ExportProjectAsync(
        string slug, [AsParameters] AuditQuery query, ClaimsPrincipal user, AuditService audit, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        IAsyncEnumerable<AuditRow> rows;
        try
        {
            rows = await audit.ExportForProjectAsync(user, slug, query.ToFilter(), cancellationToken);
        }
        catch (ProjectNotFoundException)
        {
            // Missing and not allowed look the same, so outsiders learn nothing.
            return Results.NotFound();
        }
        catch (PortalAccessDeniedException e)
        {
            return Results.Text(e.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        return Csv(context, rows, siteWide: false, $"{slug}-audit-{Today(time)}.csv");
    }

    private static async Task<IResult> ExportSiteWideAsync(
        [AsParameters] AuditQuery query, ClaimsPrincipal user, AuditService audit, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        var rows = await audit.ExportSiteWideAsync(user, query.ToFilter(), cancellationToken);
        return Csv(context, rows, siteWide: true, $"artifactportal-audit-{Today(time)}.csv");
    }

    private static IResult Csv(HttpContext context, IAsyncEnumerable<AuditRow> rows, bool siteWide, string fileName)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(
            stream => AuditCsv.WriteAsync(stream, rows, siteWide, context.RequestAborted), "text/csv; charset=utf-8", fileName);
    }

    private static string Today(TimeProvider time) => time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
