using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// Marks running runs whose client sent nothing (heartbeat, metrics, changes) for Runs:HeartbeatTimeout as killed: a
/// script that crashed or lost its machine never says it finished. The run ends at its last sign of life.
/// </summary>
public sealed partial class MarkStaleRunsJob(
    IPortalDbContextFactory dbFactory, AuditLog audit, TimeProvider time, IOptions<RunsOptions> options, ILogger<MarkStaleRunsJob> logger)
{
    /// <returns>How many runs were marked killed.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.HeartbeatTimeout;
        List<Guid> stale;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            stale = await db.Runs.Where(r => r.Status == RunStatus.Running && r.LastHeartbeatAt < cutoff).Select(r => r.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var killed = 0;
        foreach (var id in stale)
        {
            // A context per run: a run whose client spoke up meanwhile stays alive and the others still end.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.Status == RunStatus.Running && r.LastHeartbeatAt < cutoff, cancellationToken)
                .ConfigureAwait(false);
            if (run is null)
            {
                continue;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Conditional on the heartbeat column: a heartbeat (a metric batch) after the read does not change the concurrency stamp.
            var ended = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running && r.LastHeartbeatAt < cutoff)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.Status, RunStatus.Killed)
                        .SetProperty(r => r.EndedAt, run.LastHeartbeatAt)
                        .SetProperty(r => r.ConcurrencyStamp, Guid.NewGuid()),
                    cancellationToken)
                .ConfigureAwait(false);
            if (ended == 0)
            {
                continue;
            }

            audit.Record(db, actor: null, AuditActions.RunEnded, run.ProjectId, $"run {run.Number}",
                $"{run.Name}: killed, no heartbeat since {run.LastHeartbeatAt:yyyy-MM-dd HH:mm:ss} UTC");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            killed++;
            LogKilled(run.Number, run.ProjectId, run.LastHeartbeatAt);
        }

        return killed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marked run {Number} of project {ProjectId} killed: no heartbeat since {LastHeartbeatAt}.")]
    private partial void LogKilled(int number, Guid projectId, DateTimeOffset lastHeartbeatAt);
}
