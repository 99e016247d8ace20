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
        builder.Property(p => p.Description).HasMaxLength(ProjectService.MaxDescriptionLength);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.Ignore(p => p.IsArchived);
        builder.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Teams).WithOne().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.DeletedByUserId).HasMaxLength(450);
        // Soft-deleted projects vanish from every query; the restore page and the purge job opt out explicitly.
        builder.HasQueryFilter(p => p.DeletedAt == null);
    }
}
