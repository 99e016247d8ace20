using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Models;

public sealed class ProtectedAliasConfiguration : IEntityTypeConfiguration<ProtectedAlias>
{
    public void Configure(EntityTypeBuilder<ProtectedAlias> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(ArtifactNames.MaxAliasLength);
        builder.Property(a => a.ReviewerRole).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(a => new { a.ProjectId, a.Name }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Reviewers).WithOne().HasForeignKey(r => r.ProtectedAliasId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Checks).WithOne().HasForeignKey(c => c.ProtectedAliasId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ProtectedAliasReviewerConfiguration : IEntityTypeConfiguration<ProtectedAliasReviewer>
{
    public void Configure(EntityTypeBuilder<ProtectedAliasReviewer> builder)
    {
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.HasIndex(r => new { r.ProtectedAliasId, r.UserId, r.TeamId }).IsUnique();
    }
}

public sealed class PromotionCheckConfiguration : IEntityTypeConfiguration<PromotionCheck>
{
    public void Configure(EntityTypeBuilder<PromotionCheck> builder)
    {
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(64);
        builder.Property(c => c.MetricKey).HasMaxLength(250);
    }
}

public sealed class PromotionRequestConfiguration : IEntityTypeConfiguration<PromotionRequest>
{
    public void Configure(EntityTypeBuilder<PromotionRequest> builder)
    {
        builder.HasIndex(r => new { r.ProjectId, r.Number }).IsUnique();
        // "Pending requests for this alias" and the stale sweep when an alias moves.
        builder.HasIndex(r => new { r.ArtifactId, r.AliasName, r.Status });
        builder.Property(r => r.AliasName).HasMaxLength(ArtifactNames.MaxAliasLength);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.RequestedByUserId).HasMaxLength(450);
        builder.Property(r => r.ClosedByUserId).HasMaxLength(450);
        builder.Property(r => r.Justification).HasMaxLength(4000);
        builder.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // NoAction: the project cascade already removes requests; SQL Server refuses a second path.
        builder.HasOne<Artifact>().WithMany().HasForeignKey(r => r.ArtifactId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(r => r.VersionId).OnDelete(DeleteBehavior.NoAction);
        builder.HasMany(r => r.Reviews).WithOne().HasForeignKey(v => v.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Comments).WithOne().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PromotionReviewConfiguration : IEntityTypeConfiguration<PromotionReview>
{
    public void Configure(EntityTypeBuilder<PromotionReview> builder)
    {
        builder.Property(r => r.ReviewerUserId).HasMaxLength(450);
        builder.Property(r => r.Decision).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Comment).HasMaxLength(4000);
        builder.HasIndex(r => new { r.RequestId, r.ReviewerUserId });
    }
}

public sealed class PromotionCommentConfiguration : IEntityTypeConfiguration<PromotionComment>
{
    public void Configure(EntityTypeBuilder<PromotionComment> builder)
    {
        builder.Property(c => c.AuthorUserId).HasMaxLength(450);
        builder.Property(c => c.Body).HasMaxLength(4000);
        builder.HasIndex(c => new { c.RequestId, c.CreatedAt });
    }
}

public sealed class AliasChangeConfiguration : IEntityTypeConfiguration<AliasChange>
{
    public void Configure(EntityTypeBuilder<AliasChange> builder)
    {
        builder.HasIndex(c => new { c.ArtifactId, c.ChangedAt });
        builder.Property(c => c.AliasName).HasMaxLength(ArtifactNames.MaxAliasLength);
        builder.Property(c => c.ChangedByUserId).HasMaxLength(450);
        builder.Property(c => c.OverrideReason).HasMaxLength(1000);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(c => c.ArtifactId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        // The bell counts a user's unread notifications on every page.
        builder.HasIndex(n => new { n.UserId, n.ReadAt });
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.Property(n => n.UserId).HasMaxLength(450);
        builder.Property(n => n.Kind).HasMaxLength(64);
        builder.Property(n => n.Title).HasMaxLength(500);
        builder.Property(n => n.Url).HasMaxLength(2000);
    }
}

public sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.Property(w => w.Url).HasMaxLength(2000);
        builder.Property(w => w.ProtectedSecret).HasMaxLength(2000);
        builder.Property(w => w.CreatedByUserId).HasMaxLength(450);
        builder.HasOne<Project>().WithMany().HasForeignKey(w => w.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        builder.Property(d => d.Event).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.Error).HasMaxLength(2000);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}
