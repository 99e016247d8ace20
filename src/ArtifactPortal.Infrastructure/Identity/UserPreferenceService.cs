using ArtifactPortal.Core.Data;
using ArtifactPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>Per-user display settings, kept in the database so they follow the person to any browser.</summary>
public sealed class UserPreferenceService(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Compiled, like the access lookup: every circuit's start and a server render without the browser's copy ask.</summary>
    private static readonly CompiledQuery<Func<DbContext, string, CancellationToken, Task<bool>>> DarkModeOf = new(() =>
        EF.CompileAsyncQuery((DbContext db, string userId, CancellationToken cancellationToken) => db.Set<PortalUser>()
            .Where(u => u.Id == userId)
            .Select(u => u.PrefersDarkMode)
            .FirstOrDefault()));

    public async Task<bool> GetDarkModeAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await DarkModeOf.For(db)(db, userId, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, darkMode), cancellationToken)
            .ConfigureAwait(false);
    }
}
