using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ArtifactPortal.Core.Data;

/// <summary>The tables Core services use; Infrastructure's PortalDbContext implements it.</summary>
public interface IPortalDbContext : IAsyncDisposable
{
    DbSet<Project> Projects { get; }

    DbSet<ProjectMember> ProjectMembers { get; }

    DbSet<ProjectSlugRedirect> ProjectSlugRedirects { get; }

    DbSet<ProjectTeam> ProjectTeams { get; }

    DbSet<Team> Teams { get; }

    DbSet<TeamMember> TeamMembers { get; }

    DbSet<ProjectInvitation> ProjectInvitations { get; }

    DbSet<AccessRequest> AccessRequests { get; }

    DbSet<AuditEntry> AuditEntries { get; }

    DbSet<PersonalAccessToken> PersonalAccessTokens { get; }

    DbSet<Artifact> Artifacts { get; }

    DbSet<ArtifactVersion> ArtifactVersions { get; }

    DbSet<ArtifactFile> ArtifactFiles { get; }

    DbSet<ArtifactAlias> ArtifactAliases { get; }

    DbSet<ArtifactUpload> ArtifactUploads { get; }

    DbSet<DamagedBlob> DamagedBlobs { get; }

    DbSet<ArtifactTag> ArtifactTags { get; }

    /// <summary>For explicit transactions, when a check and the change it guards must not interleave with another request.</summary>
    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Blazor Server keeps circuits alive for long, so services open a short-lived context per operation.</summary>
public interface IPortalDbContextFactory
{
    Task<IPortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default);
}
