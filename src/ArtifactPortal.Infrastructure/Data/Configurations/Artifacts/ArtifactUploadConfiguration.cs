using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactUploadConfiguration : IEntityTypeConfiguration<ArtifactUpload>
{
    public void Configure(EntityTypeBuilder<ArtifactUpload> builder)
    {
        builder.Property(u => u.CreatedByUserId).HasMaxLength(450);
        builder.Property(u => u.MetadataJson).HasMaxLength(ArtifactMetadata.MaxJsonLength);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(u => u.ArtifactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(u => u.Files).WithOne().HasForeignKey(f => f.UploadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => u.ExpiresAt);
    }
}
