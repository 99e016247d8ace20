using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactFileConfiguration : IEntityTypeConfiguration<ArtifactFile>
{
    public void Configure(EntityTypeBuilder<ArtifactFile> builder)
    {
        builder.HasKey(f => new { f.VersionId, f.Path });
        builder.Property(f => f.Path).HasMaxLength(ArtifactFilePath.MaxLength);
        builder.Property(f => f.Sha256).HasMaxLength(BlobHash.Length).IsFixedLength();
        builder.Property(f => f.MediaType).HasMaxLength(255);
        // The cleanup job and de-duplication ask "does anything still reference this blob?".
        builder.HasIndex(f => f.Sha256);
    }
}
