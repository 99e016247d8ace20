using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Data;

/// <summary>Brings the schema up to date before anything else starts (registered before the job server).</summary>
internal sealed class MigrateOnStartService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
