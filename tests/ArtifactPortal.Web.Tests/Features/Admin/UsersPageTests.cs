using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Web.Features.Admin;
using Bunit;

namespace ArtifactPortal.Web.Tests.Features.Admin;

public class UsersPageTests : PortalComponentTestBase
{
    [Fact]
    public async Task Render_Administrator_ListsEveryUserWithStatus()
    {
        // The first account on an empty site becomes administrator.
        var ada = await CreateUserAsync("ada", "ada@example.com");
        await CreateUserAsync("bob@example.com");
        SignIn(ada, PortalRoles.Administrator);

        var cut = RenderWithProviders<UsersPage>();

        var rows = cut.WaitForElements("[data-testid=users-table] tbody tr", 2);
        Assert.Contains("ada", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("ada@example.com", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Administrator", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("bob@example.com", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Administrator", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Active", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("2 users", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NonAdministrator_IsRefusedByTheService()
    {
        await CreateUserAsync("ada@example.com");
        SignIn(await CreateUserAsync("bob@example.com"));

        var error = Assert.ThrowsAny<Exception>(() => RenderWithProviders<UsersPage>());

        Assert.IsType<PortalAccessDeniedException>(error.GetBaseException());
    }

    [Fact]
    public async Task DisableAccount_Chosen_ShowsUserAsDisabled()
    {
        var ada = await CreateUserAsync("ada@example.com");
        await CreateUserAsync("bob@example.com");
        SignIn(ada, PortalRoles.Administrator);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElements("[data-testid=users-table] tbody tr", 2);

        await cut.Find("button[aria-label='Actions for bob@example.com']").ClickAsync(new());
        var disable = cut.WaitForElements("[role=menuitem]").Single(i => i.TextContent.Trim() == "Disable account");
        await disable.ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            var bob = cut.FindAll("[data-testid=users-table] tbody tr")[1];
            Assert.Contains("Disabled", bob.TextContent, StringComparison.Ordinal);
        });
        Assert.Contains("Disabled bob@example.com.", cut.Markup, StringComparison.Ordinal);
    }
}
