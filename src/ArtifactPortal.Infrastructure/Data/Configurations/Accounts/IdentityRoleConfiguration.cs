using ArtifactPortal.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactPortal.Infrastructure.Data.Configurations.Accounts;

public sealed class IdentityRoleConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    // Fixed values so every provider's migration seeds the same row.
    private const string AdministratorRoleId = "6f1d3c1e-2b7a-4c55-9a57-0b3f0c6f2a01";

    public void Configure(EntityTypeBuilder<IdentityRole> builder) =>
        builder.HasData(new IdentityRole
        {
            Id = AdministratorRoleId,
            Name = PortalRoles.Administrator,
            NormalizedName = PortalRoles.Administrator.ToUpperInvariant(),
            ConcurrencyStamp = AdministratorRoleId,
        });
}
