using ArtifactPortal.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Infrastructure.Identity;

/// <summary>Makes the first account on an empty site its administrator, whichever way it was created.</summary>
public sealed class PortalUserManager(
    IUserStore<PortalUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<PortalUser> passwordHasher,
    IEnumerable<IUserValidator<PortalUser>> userValidators,
    IEnumerable<IPasswordValidator<PortalUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PortalUser>> logger,
    TimeProvider time)
    : UserManager<PortalUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> CreateAsync(PortalUser user)
    {
        user.CreatedAt = time.GetUtcNow();
        var result = await base.CreateAsync(user).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return result;
        }

        var admins = await GetUsersInRoleAsync(PortalRoles.Administrator).ConfigureAwait(false);
        if (admins.Count == 0 && Users.OrderBy(u => u.CreatedAt).Select(u => u.Id).FirstOrDefault() == user.Id)
        {
            return await AddToRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false);
        }

        return result;
    }
}
