using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class DamagedBlobConfiguration : IEntityTypeConfiguration<DamagedBlob>
{
    public void Configure(EntityTypeBuilder<DamagedBlob> builder)
    {
        builder.HasKey(d => d.Sha256);
        builder.Property(d => d.Sha256).HasMaxLength(BlobHash.Length).IsFixedLength();
        builder.Property(d => d.ActualSha256).HasMaxLength(BlobHash.Length).IsFixedLength();
    }
}
