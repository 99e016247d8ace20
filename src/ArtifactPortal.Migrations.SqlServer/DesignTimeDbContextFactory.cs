using ArtifactPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace ArtifactPortal.Migrations.SqlServer;

/// <summary>Lets dotnet-ef build the model for this provider without starting the portal.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new PortalDbContext(DatabaseServiceCollectionExtensions.DesignTimeOptions(DatabaseProvider.SqlServer, "Server=localhost;Database=ArtifactPortal;Trusted_Connection=True;TrustServerCertificate=True"));
}
