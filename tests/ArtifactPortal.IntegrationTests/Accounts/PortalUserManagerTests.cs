using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Accounts;

[Collection(PortalCollectionDefinition.Name)]
public sealed class PortalUserManagerTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task CreateAsync_FirstAccountOnEmptySite_BecomesAdministratorAndSecondDoesNot(DatabaseProvider provider)
    {
        await using var portal = await fixture.NewPortalAsync(provider);
        var first = PortalBrowser.NewEmail("first");
        var second = PortalBrowser.NewEmail("second");
        using var firstBrowser = portal.CreateBrowser();
        using var secondBrowser = portal.CreateBrowser();

        await firstBrowser.RegisterAndSignInAsync(first);
        await secondBrowser.RegisterAndSignInAsync(second);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True(await users.IsInRoleAsync((await users.FindByEmailAsync(first))!, PortalRoles.Administrator));
            Assert.False(await users.IsInRoleAsync((await users.FindByEmailAsync(second))!, PortalRoles.Administrator));
        }

        var usersPage = await firstBrowser.OpenAsync("/admin/users");
        Assert.Contains("Everyone with an account on this portal.", usersPage.Text, StringComparison.Ordinal);
        using var denied = await secondBrowser.Client.GetAsync("/admin/users");
        var deniedPage = await denied.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("You don't have access to this page", System.Net.WebUtility.HtmlDecode(deniedPage), StringComparison.Ordinal);
        Assert.DoesNotContain("Everyone with an account on this portal.", deniedPage, StringComparison.Ordinal);
    }
}
