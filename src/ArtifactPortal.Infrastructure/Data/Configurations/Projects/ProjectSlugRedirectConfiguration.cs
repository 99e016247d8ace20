using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Projects;

public sealed class ProjectSlugRedirectConfiguration : IEntityTypeConfiguration<ProjectSlugRedirect>
{
    public void Configure(EntityTypeBuilder<ProjectSlugRedirect> builder)
    {
        builder.HasKey(r => r.OldSlug);
        builder.Property(r => r.OldSlug).HasMaxLength(ProjectSlug.MaxLength);
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.ProjectId);
    }
}
