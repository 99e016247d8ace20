using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Sharing;

public sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> builder)
    {
        builder.Property(l => l.SecretHash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(l => l.SecretHash).IsUnique();
        builder.Property(l => l.Note).HasMaxLength(ShareLinkService.MaxNoteLength);
        builder.Property(l => l.CreatedByUserId).HasMaxLength(450);
        builder.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // No cascade from the version: SQL Server refuses a second cascade path (project → artifact → version) to this table.
        builder.HasOne<ArtifactVersion>().WithMany().HasForeignKey(l => l.ArtifactVersionId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(l => l.ArtifactVersionId);
    }
}
