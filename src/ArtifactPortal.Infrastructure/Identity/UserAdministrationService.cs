using System.Security.Claims;
using System.Text;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Infrastructure.Identity;

public sealed record UserListItem(
    string Id,
    string UserName,
    string Email,
    bool EmailConfirmed,
    bool IsAdministrator,
    bool IsDisabled,
    bool IsLockedOut,
    bool TwoFactorEnabled,
    DateTimeOffset CreatedAt);

/// <summary>Site administrators' user management. Every method checks the caller itself.</summary>
public sealed class UserAdministrationService(
    IServiceScopeFactory scopeFactory,
    IAuthorizationService authorization,
    TimeProvider time)
{
    public async Task<IReadOnlyList<UserListItem>> ListAsync(ClaimsPrincipal actor, string? search, CancellationToken cancellationToken = default)
    {
        await DemandAdministratorAsync(actor).ConfigureAwait(false);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.PortalDbContext>();
        var adminRoleId = db.Roles.Where(r => r.Name == PortalRoles.Administrator).Select(r => r.Id);
        var users = db.Users.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            users = users.Where(u => u.NormalizedUserName!.Contains(term) || u.NormalizedEmail!.Contains(term));
        }

        var now = time.GetUtcNow();
        return await users
            .OrderBy(u => u.CreatedAt)
            .Select(u => new UserListItem(
                u.Id,
                u.UserName ?? "",
                u.Email ?? "",
                u.EmailConfirmed,
                db.UserRoles.Any(ur => ur.UserId == u.Id && adminRoleId.Contains(ur.RoleId)),
                u.IsDisabled,
                u.LockoutEnd != null && u.LockoutEnd > now,
                u.TwoFactorEnabled,
                u.CreatedAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<Result<bool>> SetDisabledAsync(ClaimsPrincipal actor, string userId, bool disabled) =>
        ChangeUserAsync(actor, userId, async (users, user) =>
        {
            if (disabled && user.Id == actor.FindFirstValue(ClaimTypes.NameIdentifier))
            {
                return Result.Invalid<bool>("User", "You cannot disable your own account.");
            }

            user.IsDisabled = disabled;
            var result = await users.UpdateAsync(user).ConfigureAwait(false);
            // A new security stamp signs the person out of every open session.
            return ToResult(result.Succeeded ? await users.UpdateSecurityStampAsync(user).ConfigureAwait(false) : result);
        });

    public Task<Result<bool>> SetAdministratorAsync(ClaimsPrincipal actor, string userId, bool administrator) =>
        ChangeUserAsync(actor, userId, async (users, user) =>
        {
            if (!administrator && user.Id == actor.FindFirstValue(ClaimTypes.NameIdentifier))
            {
                return Result.Invalid<bool>("User", "You cannot remove your own administrator role.");
            }

            var isAdministrator = await users.IsInRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false);
            if (isAdministrator == administrator)
            {
                return Result.Success(true);
            }

            var result = administrator
                ? await users.AddToRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false)
                : await users.RemoveFromRoleAsync(user, PortalRoles.Administrator).ConfigureAwait(false);
            return ToResult(result.Succeeded ? await users.UpdateSecurityStampAsync(user).ConfigureAwait(false) : result);
        });

    /// <summary>A one-time link the administrator hands to the person; it expires like any reset token.</summary>
    public async Task<Result<string>> CreatePasswordResetLinkAsync(ClaimsPrincipal actor, string userId, Uri baseUri)
    {
        await DemandAdministratorAsync(actor).ConfigureAwait(false);
        return await CreatePasswordResetLinkAsync(userId, baseUri).ConfigureAwait(false);
    }

    /// <summary>For the command line, where the operator already has the server's credentials.</summary>
    public async Task<Result<string>> CreatePasswordResetLinkAsync(string userId, Uri baseUri)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null)
        {
            return Result.Invalid<string>("User", "No such user.");
        }

        var code = await users.GeneratePasswordResetTokenAsync(user).ConfigureAwait(false);
        var encoded = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(code));
        return Result.Success(new Uri(baseUri, $"Account/ResetPassword?code={encoded}").ToString());
    }

    private async Task<Result<bool>> ChangeUserAsync(
        ClaimsPrincipal actor, string userId, Func<UserManager<PortalUser>, PortalUser, Task<Result<bool>>> change)
    {
        await DemandAdministratorAsync(actor).ConfigureAwait(false);
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        return user is null ? Result.Invalid<bool>("User", "No such user.") : await change(users, user).ConfigureAwait(false);
    }

    private async Task DemandAdministratorAsync(ClaimsPrincipal actor)
    {
        var result = await authorization.AuthorizeAsync(actor, PortalPolicies.SiteAdministrator).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PortalAccessDeniedException("Only site administrators manage users.");
        }
    }

    private static Result<bool> ToResult(IdentityResult result) => result.Succeeded
        ? Result.Success(true)
        : Result.Invalid<bool>("User", string.Join(" ", result.Errors.Select(e => e.Description)));
}
