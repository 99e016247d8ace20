using ArtifactPortal.Core;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Jobs;
using ArtifactPortal.Web.Hosting;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Web.Cli;

/// <summary>The portal's services without the web server, for one operator command.</summary>
internal static class OperatorHost
{
    public static async Task<WebApplication> StartAsync(bool migrate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddPortalHosting();
        // Operators read the command's own output, not the framework's information logs. A filter, because
        // SetMinimumLevel loses to the "Default": "Information" rule in appsettings.json.
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        // `migrate` may make the first data-protection key; Data Protection's warning that keys are stored unencrypted
        // (they are, in the database, as on every node) would end up in front of a command's output.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Services.AddPortalCore().AddPortalAuthorization().AddPortalInfrastructure(builder.Configuration, NodeRole.Web);
        var app = builder.Build();
        if (migrate || app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return app;
    }
}
