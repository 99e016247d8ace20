using ArtifactPortal.Core;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Cli;
using ArtifactPortal.Web.Features.Admin;
using ArtifactPortal.Web.Features.Analysis;
using ArtifactPortal.Web.Features.Artifacts;
using ArtifactPortal.Web.Features.Audit;
using ArtifactPortal.Web.Features.Sharing;
using ArtifactPortal.Web.Hosting;

// One executable: `serve` (the default) runs the portal below; `migrate` and `admin …` are operator commands (Cli/).
return await PortalCommandLine.InvokeAsync(args, ServeAsync).ConfigureAwait(false);

static async Task<int> ServeAsync(ServeSettings serve, CancellationToken cancellationToken)
{
    var builder = WebApplication.CreateBuilder(serve.HostArgs);
    builder.AddPortalHosting();
    builder.AddPortalTelemetry();
    builder.AddPortalAzureSignalR();
    builder.Services
        .AddPortalCore()
        .AddPortalAuthorization()
        .AddPortalInfrastructure(builder.Configuration, serve.Role)
        .AddPortalWeb()
        .AddPortalPageRenderLimit(builder.Configuration)
        .AddPortalApiDocumentation();

    var app = builder.Build();
    app.UsePortalErrorPagesAndSecurity();
    app.MapPortalHealthChecks();
    // A worker node answers health checks only: people and scripts reach the web nodes.
    if (serve.Role.ServesWeb())
    {
        app.MapPortalJobsDashboard();
        app.MapPortalAuditExports();
        app.MapPortalArtifactViews();
        app.MapPortalThumbnails();
        app.MapPortalShareLinks();
        app.MapPortalApi();
        app.MapPortalApiDocumentation();
        app.MapPortalUi();
    }
    else
    {
        app.MapPortalWorkerFallback();
    }

    await app.RunAsync(cancellationToken).ConfigureAwait(false);
    return 0;
}

/// <summary>Entry point type, public for WebApplicationFactory.</summary>
public partial class Program;
