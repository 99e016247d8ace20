using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Hosting;

/// <summary>
/// The server render writes the app bar, the drawer and the project header from kept markup (RenderedMarkupCache): each
/// person must still get their own name, links and tabs, on the first request and on every one after, and a change to
/// the project must show at once.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ServerRenderedLayoutTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Get_ProjectPage_EachPersonGetsTheirOwnAppBarDrawerAndTabs(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var administrator = portal.CreateBrowser();
        await administrator.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);
        var viewerEmail = PortalBrowser.NewEmail("viewer");
        using var viewer = portal.CreateBrowser();
        await viewer.RegisterAndSignInAsync(viewerEmail);
        var slug = await portal.CreateProjectAsync(await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail), "Kept markup");
        await portal.AddMemberAsync(slug, await PortalUsers.PrincipalAsync(portal, viewerEmail), ProjectRole.Viewer);

        // Twice each, in turns: the second request of each person is served from what the first kept.
        for (var round = 0; round < 2; round++)
        {
            var asAdministrator = await administrator.OpenAsync($"/p/{slug}/artifacts");
            var asViewer = await viewer.OpenAsync($"/p/{slug}/artifacts");

            Assert.Equal(PortalFixture.OwnerEmail, UserMenuName(asAdministrator));
            Assert.Equal(viewerEmail, UserMenuName(asViewer));
            Assert.NotNull(asAdministrator.Document.QuerySelector("a.mud-nav-link[href='admin/users']"));
            Assert.Null(asViewer.Document.QuerySelector("a.mud-nav-link[href='admin/users']"));
            Assert.Equal(["Overview", "Artifacts", "Runs", "Models", "Members", "Share links", "Audit log", "Settings"], Tabs(asAdministrator));
            Assert.Equal(["Overview", "Artifacts", "Runs", "Models", "Members"], Tabs(asViewer));
            Assert.Equal("Artifacts", asViewer.Document.QuerySelector("nav.project-tabs a[aria-current=page]")?.TextContent.Trim());
        }

        await portal.ChangeProjectAsync(slug, project => project.Name = "Renamed elsewhere");
        var afterRename = await viewer.OpenAsync($"/p/{slug}/artifacts");

        Assert.Equal("Renamed elsewhere", afterRename.Document.QuerySelector("[data-testid=project-name]")?.TextContent.Trim());
        Assert.Contains("Renamed elsewhere", afterRename.Document.QuerySelector("nav[aria-label=Breadcrumb]")?.TextContent, StringComparison.Ordinal);
    }

    [Theory, DatabaseProviders]
    public async Task Get_PagesOfTheDrawer_HighlightTheirOwnLinkOnly(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);

        foreach (var (path, highlighted) in new[] { ("/help", "Help"), ("/projects", "All projects"), ("/help", "Help"), ("/admin/users", "Users"), ("/", "Your projects") })
        {
            var page = await browser.OpenAsync(path);

            var active = page.Document.QuerySelectorAll("a.mud-nav-link.active").Select(a => a.TextContent.Trim()).ToList();
            Assert.True(active.SequenceEqual([highlighted]), $"{path}: highlighted [{string.Join(", ", active)}]");
        }
    }

    private static string? UserMenuName(PortalPage page) => page.Document.QuerySelector("[data-testid=user-menu-button]")?.TextContent.Trim();

    private static List<string> Tabs(PortalPage page) =>
        page.Document.QuerySelectorAll("nav.project-tabs a").Select(a => a.TextContent.Trim()).ToList();
}
