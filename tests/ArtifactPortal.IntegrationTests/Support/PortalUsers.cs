using System.Security.Claims;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Principals for tests that call Core services directly; accounts come from <see cref="PortalPeople"/>.</summary>
public static class PortalUsers
{
    /// <summary>Creates an account (never the site's first, so never an administrator) and returns its principal.</summary>
    public static async Task<ClaimsPrincipal> CreateAsync(PortalWebApplicationFactory portal, string who) =>
        (await portal.CreateUserAsync(who)).Principal;

    /// <summary>The principal of an existing account, e.g. one a browser registered or <see cref="PortalFixture.OwnerEmail"/>.</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(PortalWebApplicationFactory portal, string email) =>
        (await portal.UserAsync(email)).Principal;
}
