using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Identity;
using Hangfire;
using Microsoft.AspNetCore.Authorization;

namespace ArtifactPortal.Web.Features.Admin;

public static class JobsDashboardEndpoints
{
    public const string Path = "/admin/jobs";

    /// <summary>
    /// Hangfire's dashboard for site administrators signed in with a cookie; the policy replaces Hangfire's
    /// local-requests-only filter.
    /// </summary>
    public static WebApplication MapPortalJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [],
            AppPath = "/",
            DashboardTitle = "ArtifactPortal jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(new AuthorizeAttribute(PortalPolicies.SiteAdministrator)
        {
            // Reads bearer tokens only to refuse them with 403 (the policy wants a cookie sign-in), not a login redirect.
            AuthenticationSchemes = PortalAuthenticationSchemes.CookieOrToken,
        });
        return app;
    }
}
