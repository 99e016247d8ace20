using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Core.Sharing;
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

    DbSet<ShareLink> ShareLinks { get; }

    DbSet<ArtifactTag> ArtifactTags { get; }

    DbSet<VersionDerivation> VersionDerivations { get; }

    DbSet<AnalysisJob> AnalysisJobs { get; }

    DbSet<VersionFileStatistics> VersionFileStatistics { get; }

    DbSet<VersionThumbnail> VersionThumbnails { get; }

    DbSet<Experiment> Experiments { get; }

    DbSet<Run> Runs { get; }

    DbSet<RunParam> RunParams { get; }

    DbSet<RunTag> RunTags { get; }

    DbSet<RunInput> RunInputs { get; }

    DbSet<MetricSeries> MetricSeries { get; }

    DbSet<MetricPoint> MetricPoints { get; }

    DbSet<ProtectedAlias> ProtectedAliases { get; }

    DbSet<ProtectedAliasReviewer> ProtectedAliasReviewers { get; }

    DbSet<PromotionCheck> PromotionChecks { get; }

    DbSet<PromotionRequest> PromotionRequests { get; }

    DbSet<PromotionReview> PromotionReviews { get; }

    DbSet<PromotionComment> PromotionComments { get; }

    DbSet<AliasChange> AliasChanges { get; }

    DbSet<Notification> Notifications { get; }

    DbSet<Webhook> Webhooks { get; }

    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    /// <summary>For explicit transactions, when a check and the change it guards must not interleave with another request.</summary>
    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Blazor Server keeps circuits alive for long, so services open a short-lived context per operation.</summary>
public interface IPortalDbContextFactory
{
    Task<IPortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default);
}
