using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactVersionConfiguration : IEntityTypeConfiguration<ArtifactVersion>
{
    public void Configure(EntityTypeBuilder<ArtifactVersion> builder)
    {
        // Unique per artifact: the last line of defence when two commits race for the same number.
        builder.HasIndex(v => new { v.ArtifactId, v.Number }).IsUnique();
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.ArtifactId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.CreatedByUserId).HasMaxLength(450);
        builder.Property(v => v.DeletedByUserId).HasMaxLength(450);
        builder.Property(v => v.DeleteReason).HasMaxLength(500);
        builder.Property(v => v.MetadataJson).HasMaxLength(ArtifactMetadata.MaxJsonLength);
        builder.HasMany(v => v.Files).WithOne().HasForeignKey(f => f.VersionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => v.ProducedByRunId);
    }
}
