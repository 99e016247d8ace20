using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Accounts;

public sealed class PersonalAccessTokenProjectConfiguration : IEntityTypeConfiguration<PersonalAccessTokenProject>
{
    public void Configure(EntityTypeBuilder<PersonalAccessTokenProject> builder)
    {
        builder.ToTable("PersonalAccessTokenProjects");
        builder.HasKey(p => new { p.TokenId, p.ProjectId });
        builder.HasIndex(p => p.ProjectId);
        builder.HasOne<Project>().WithMany().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
