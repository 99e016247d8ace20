using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactAliasConfiguration : IEntityTypeConfiguration<ArtifactAlias>
{
    public void Configure(EntityTypeBuilder<ArtifactAlias> builder)
    {
        // The key makes an alias unique per artifact.
        builder.HasKey(a => new { a.ArtifactId, a.Name });
        builder.Property(a => a.Name).HasMaxLength(ArtifactNames.MaxAliasLength);
        builder.Property(a => a.UpdatedByUserId).HasMaxLength(450);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(a => a.ArtifactId).OnDelete(DeleteBehavior.Cascade);
        // No cascade from the version: providers refuse two cascade paths to one table; deleting a version removes its aliases explicitly.
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(a => a.VersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.VersionId);
    }
}
