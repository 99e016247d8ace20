using System.Security.Claims;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Accounts for tests that call Core services directly, with the same claims the sign-in cookie carries.</summary>
public static class PortalUsers
{
    /// <summary>Creates an account (never the site's first, so never an administrator) and returns its principal.</summary>
    public static async Task<ClaimsPrincipal> CreateAsync(PortalWebApplicationFactory portal, string who)
    {
        var email = PortalBrowser.NewEmail(who);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var created = await users.CreateAsync(new PortalUser { UserName = email, Email = email, EmailConfirmed = true }, PortalBrowser.TestPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        return await PrincipalAsync(portal, email);
    }

    /// <summary>The principal of an existing account, e.g. one a browser registered or <see cref="PortalFixture.OwnerEmail"/>.</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(PortalWebApplicationFactory portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.True(user is not null, $"No account {email}.");
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>();
        return await factory.CreateAsync(user);
    }
}
