using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Infrastructure.Data;

internal sealed class PortalDbContextFactory(IDbContextFactory<PortalDbContext> factory) : IPortalDbContextFactory
{
    public async Task<IPortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
}
