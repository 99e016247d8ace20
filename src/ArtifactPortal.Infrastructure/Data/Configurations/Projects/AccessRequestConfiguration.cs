using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Projects;

public sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.Property(r => r.Message).HasMaxLength(AccessRequest.MaxMessageLength);
        builder.Property(r => r.DecidedByUserId).HasMaxLength(450);
        builder.HasIndex(r => new { r.ProjectId, r.Status });
        builder.HasIndex(r => r.UserId);
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
