using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Models;

public static class ProtectedAliases
{
    /// <summary>Every new project protects these (the ModelRegistry migration gave them to existing projects too).</summary>
    public static readonly IReadOnlyList<string> DefaultNames = ["staging", "production"];

    public static IEnumerable<ProtectedAlias> Defaults(Guid projectId) =>
        DefaultNames.Select(name => new ProtectedAlias { Id = Guid.NewGuid(), ProjectId = projectId, Name = name });

    /// <summary>Protection applies to models: a dataset's "production" alias stays free.</summary>
    public static async Task<bool> IsProtectedAsync(IPortalDbContext db, Artifact artifact, string alias, CancellationToken cancellationToken) =>
        artifact.Type == ArtifactType.Model
        && await db.ProtectedAliases.AnyAsync(a => a.ProjectId == artifact.ProjectId && a.Name == alias, cancellationToken).ConfigureAwait(false);
}
