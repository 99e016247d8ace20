using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Projects;

public sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(ProjectService.MaxNameLength);
        builder.Property(p => p.Slug).HasMaxLength(ProjectSlug.MaxLength);
        builder.Property(p => p.Description).HasMaxLength(20_000);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
