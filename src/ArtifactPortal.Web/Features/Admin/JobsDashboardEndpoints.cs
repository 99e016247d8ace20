using ArtifactPortal.Core.Accounts;
using Hangfire;

namespace ArtifactPortal.Web.Features.Admin;

public static class JobsDashboardEndpoints
{
    public const string Path = "/admin/jobs";

    /// <summary>Hangfire's dashboard for site administrators; the policy replaces Hangfire's local-requests-only filter.</summary>
    public static WebApplication MapPortalJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [],
            AppPath = "/",
            DashboardTitle = "ArtifactPortal jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(PortalPolicies.SiteAdministrator);
        return app;
    }
}
