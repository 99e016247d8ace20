using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Jobs;

/// <summary>
/// Removes for good the projects that were deleted longer ago than ProjectService.RestoreWindow, with their members,
/// teams, invitations and redirects. Their audit entries stay, and one more records the purge.
/// </summary>
public sealed partial class PurgeDeletedProjectsJob(
    IPortalDbContextFactory dbFactory, AuditLog audit, TimeProvider time, ILogger<PurgeDeletedProjectsJob> logger)
{
    /// <returns>How many projects were purged.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - ProjectService.RestoreWindow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var expired = await db.Projects.IgnoreQueryFilters()
            .Where(p => p.DeletedAt != null && p.DeletedAt <= cutoff)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var project in expired)
        {
            // Lineage rows of other projects may point at this project's versions (NoAction keys): remove them first.
            var versionIds = db.ArtifactVersions
                .Where(v => db.Artifacts.Any(a => a.Id == v.ArtifactId && a.ProjectId == project.Id))
                .Select(v => v.Id);
            await db.RunInputs.Where(i => versionIds.Contains(i.VersionId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await db.VersionDerivations.Where(d => versionIds.Contains(d.SourceVersionId))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

            // One save per project: a failure leaves the others purged and this one still restorable.
            db.Projects.Remove(project);
            audit.Record(db, actor: null, AuditActions.ProjectPurged, project.Id, project.Name,
                $"URL name {project.Slug}, deleted {project.DeletedAt:yyyy-MM-dd}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            LogPurged(project.Name, project.Id);
        }

        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged deleted project {ProjectName} ({ProjectId}).")]
    private partial void LogPurged(string projectName, Guid projectId);
}
