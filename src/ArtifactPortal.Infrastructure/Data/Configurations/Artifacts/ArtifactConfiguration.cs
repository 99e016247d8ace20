using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Artifacts;

public sealed class ArtifactConfiguration : IEntityTypeConfiguration<Artifact>
{
    public void Configure(EntityTypeBuilder<Artifact> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(ArtifactNames.MaxNameLength);
        builder.Property(a => a.NormalizedName).HasMaxLength(ArtifactNames.MaxNameLength);
        builder.Property(a => a.Description).HasMaxLength(ArtifactNames.MaxDescriptionLength);
        builder.Property(a => a.Type).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.CreatedByUserId).HasMaxLength(450);
        builder.Property(a => a.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(a => new { a.ProjectId, a.NormalizedName }).IsUnique();
        builder.HasIndex(a => new { a.ProjectId, a.UpdatedAt });
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Tags).WithOne().HasForeignKey(t => t.ArtifactId).OnDelete(DeleteBehavior.Cascade);
    }
}
