using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactTagConfiguration : IEntityTypeConfiguration<ArtifactTag>
{
    public void Configure(EntityTypeBuilder<ArtifactTag> builder)
    {
        builder.HasKey(t => new { t.ArtifactId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(ArtifactNames.MaxTagLength);
        builder.HasIndex(t => t.Tag);
    }
}
