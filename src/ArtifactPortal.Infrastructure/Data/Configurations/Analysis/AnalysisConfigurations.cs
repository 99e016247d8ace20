using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Analysis;

public sealed class AnalysisJobConfiguration : IEntityTypeConfiguration<AnalysisJob>
{
    public void Configure(EntityTypeBuilder<AnalysisJob> builder)
    {
        // One row per version and kind: a re-run resets it instead of adding another.
        builder.HasIndex(j => new { j.VersionId, j.Kind }).IsUnique();
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(j => j.Error).HasMaxLength(2000);
        builder.Property(j => j.HangfireJobId).HasMaxLength(100);
        builder.Property(j => j.RequestedByUserId).HasMaxLength(450);
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(j => j.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class VersionFileStatisticsConfiguration : IEntityTypeConfiguration<VersionFileStatistics>
{
    public void Configure(EntityTypeBuilder<VersionFileStatistics> builder)
    {
        builder.HasKey(s => new { s.VersionId, s.Path });
        builder.Property(s => s.Path).HasMaxLength(ArtifactFilePath.MaxLength);
        builder.Property(s => s.Error).HasMaxLength(2000);
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(s => s.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class VersionThumbnailConfiguration : IEntityTypeConfiguration<VersionThumbnail>
{
    public void Configure(EntityTypeBuilder<VersionThumbnail> builder)
    {
        builder.HasKey(t => new { t.VersionId, t.Path, t.Size });
        builder.Property(t => t.Path).HasMaxLength(ArtifactFilePath.MaxLength);
        builder.Property(t => t.Sha256).HasMaxLength(BlobHash.Length).IsFixedLength();
        // The storage clean-up job keeps blobs a thumbnail references.
        builder.HasIndex(t => t.Sha256);
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(t => t.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}
