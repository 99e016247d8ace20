using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ArtifactPortal.Infrastructure.Data;

public class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser>(options), IPortalDbContext, IDataProtectionKeyContext
{
    public DbSet<Project> Projects => Set<Project>();

    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();

    public DbSet<ProjectSlugRedirect> ProjectSlugRedirects => Set<ProjectSlugRedirect>();

    public DbSet<ProjectTeam> ProjectTeams => Set<ProjectTeam>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();

    public DbSet<ProjectInvitation> ProjectInvitations => Set<ProjectInvitation>();

    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();

    public DbSet<Artifact> Artifacts => Set<Artifact>();

    public DbSet<ArtifactTag> ArtifactTags => Set<ArtifactTag>();

    public DbSet<ArtifactVersion> ArtifactVersions => Set<ArtifactVersion>();

    public DbSet<ArtifactFile> ArtifactFiles => Set<ArtifactFile>();

    public DbSet<ArtifactAlias> ArtifactAliases => Set<ArtifactAlias>();

    public DbSet<ArtifactUpload> ArtifactUploads => Set<ArtifactUpload>();

    public DbSet<DamagedBlob> DamagedBlobs => Set<DamagedBlob>();

    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    public DbSet<VersionDerivation> VersionDerivations => Set<VersionDerivation>();

    public DbSet<AnalysisJob> AnalysisJobs => Set<AnalysisJob>();

    public DbSet<VersionFileStatistics> VersionFileStatistics => Set<VersionFileStatistics>();

    public DbSet<VersionThumbnail> VersionThumbnails => Set<VersionThumbnail>();

    public DbSet<Experiment> Experiments => Set<Experiment>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<RunParam> RunParams => Set<RunParam>();

    public DbSet<RunTag> RunTags => Set<RunTag>();

    public DbSet<RunInput> RunInputs => Set<RunInput>();

    public DbSet<MetricSeries> MetricSeries => Set<MetricSeries>();

    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();

    public DbSet<ProtectedAlias> ProtectedAliases => Set<ProtectedAlias>();

    public DbSet<ProtectedAliasReviewer> ProtectedAliasReviewers => Set<ProtectedAliasReviewer>();

    public DbSet<PromotionCheck> PromotionChecks => Set<PromotionCheck>();

    public DbSet<PromotionRequest> PromotionRequests => Set<PromotionRequest>();

    public DbSet<PromotionReview> PromotionReviews => Set<PromotionReview>();

    public DbSet<PromotionComment> PromotionComments => Set<PromotionComment>();

    public DbSet<AliasChange> AliasChanges => Set<AliasChange>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>Shared data-protection keys, so cookies stay valid across restarts and nodes.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Identity's table layout (version 3 adds passkeys); Identity reads it from IdentityOptions.</summary>
    public static readonly Version IdentitySchemaVersion = IdentitySchemaVersions.Version3;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite stores DateTimeOffset as text that cannot be ordered or compared in SQL; binary keeps both working.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
