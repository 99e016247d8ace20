using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class VersionDerivationConfiguration : IEntityTypeConfiguration<VersionDerivation>
{
    public void Configure(EntityTypeBuilder<VersionDerivation> builder)
    {
        builder.HasKey(d => new { d.VersionId, d.SourceVersionId });
        // Lineage walks downstream from a source to what was derived from it.
        builder.HasIndex(d => d.SourceVersionId);
        builder.Property(d => d.CreatedByUserId).HasMaxLength(450);
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(d => d.VersionId).OnDelete(DeleteBehavior.Cascade);
        // NoAction: two cascade paths into one table are refused by SQL Server; versions are soft-deleted anyway.
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(d => d.SourceVersionId).OnDelete(DeleteBehavior.NoAction);
    }
}
