using ArtifactPortal.Core.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactUploadFileConfiguration : IEntityTypeConfiguration<ArtifactUploadFile>
{
    public void Configure(EntityTypeBuilder<ArtifactUploadFile> builder)
    {
        builder.HasKey(f => new { f.UploadId, f.Index });
        builder.Property(f => f.Path).HasMaxLength(ArtifactFilePath.MaxLength);
        builder.Property(f => f.ExpectedSha256).HasMaxLength(BlobHash.Length).IsFixedLength();
        builder.Property(f => f.Sha256).HasMaxLength(BlobHash.Length).IsFixedLength();
        builder.HasIndex(f => f.Sha256);
    }
}
