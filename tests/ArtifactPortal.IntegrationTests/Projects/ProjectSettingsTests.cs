using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class ProjectSettingsTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_NewSlug_OldLinkLeadsToRenamedProject(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        var email = PortalBrowser.NewEmail("renamer");
        await browser.RegisterAndSignInAsync(email);
        var owner = await PortalUsers.PrincipalAsync(portal, email);
        var oldSlug = await portal.CreateProjectAsync(owner, "Churn model");
        var newSlug = ProjectScenario.NewSlug("retention-model");

        var result = await portal.Projects().UpdateSettingsAsync(
            owner, oldSlug, new ProjectSettings("Retention model", newSlug, "Who leaves, and why.", ProjectVisibility.Internal));

        Assert.True(result.Succeeded, result.ErrorMessage);
        // The server answers an old link with a redirect, deeper paths included; the browser then shows the renamed project.
        using var response = await browser.Client.GetAsync($"/p/{oldSlug}/settings");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/p/{newSlug}/settings", browser.RedirectTarget(response)?.AbsolutePath);
        var page = await browser.FollowAsync(response);
        Assert.Equal("Retention model", page.Document.QuerySelector("h1")?.TextContent.Trim());
        var overview = await browser.OpenAsync($"/p/{newSlug}");
        Assert.Contains("Who leaves, and why.", overview.Text, StringComparison.Ordinal);
        var saved = await portal.QueryAsync(db => db.Projects.AsNoTracking().SingleAsync(p => p.Slug == newSlug));
        Assert.Equal(ProjectVisibility.Internal, saved.Visibility);
    }

    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_SlugOfAnotherProjectOrOfItsRedirect_ReportsSlugTaken(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "slugs");
        var first = await portal.CreateProjectAsync(owner, "First");
        var second = await portal.CreateProjectAsync(owner, "Second");
        var secondRenamed = ProjectScenario.NewSlug("second");
        Assert.True((await portal.Projects().UpdateSettingsAsync(owner, second, new ProjectSettings("Second", secondRenamed, "", ProjectVisibility.Private))).Succeeded);

        var takeCurrent = await portal.Projects().UpdateSettingsAsync(owner, first, new ProjectSettings("First", secondRenamed, "", ProjectVisibility.Private));
        var takeRedirect = await portal.Projects().UpdateSettingsAsync(owner, first, new ProjectSettings("First", second, "", ProjectVisibility.Private));

        Assert.Equal($"The URL name \"{secondRenamed}\" is taken; choose another.", takeCurrent.Errors[nameof(ProjectSettings.Slug)]);
        Assert.Equal($"The URL name \"{second}\" is taken; choose another.", takeRedirect.Errors[nameof(ProjectSettings.Slug)]);
        Assert.Equal(secondRenamed, await portal.RenamedSlugAsync(second));
    }

    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_OwnEarlierSlug_TakesItBackAndDropsTheRedirect(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "reclaim");
        var original = await portal.CreateProjectAsync(owner, "Boomerang");
        var interim = ProjectScenario.NewSlug("interim");
        Assert.True((await portal.Projects().UpdateSettingsAsync(owner, original, new ProjectSettings("Boomerang", interim, "", ProjectVisibility.Private))).Succeeded);

        var back = await portal.Projects().UpdateSettingsAsync(owner, interim, new ProjectSettings("Boomerang", original, "", ProjectVisibility.Private));

        Assert.True(back.Succeeded, back.ErrorMessage);
        var redirects = await portal.QueryAsync(db => db.ProjectSlugRedirects.AsNoTracking()
            .Where(r => r.OldSlug == original || r.OldSlug == interim).Select(r => r.OldSlug).ToListAsync());
        Assert.Equal([interim], redirects);
        Assert.Equal(original, await portal.RenamedSlugAsync(interim));
    }

    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_InvalidFields_ReportsEachFieldAndChangesNothing(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "invalid");
        var slug = await portal.CreateProjectAsync(owner, "Valid name");

        var result = await portal.Projects().UpdateSettingsAsync(
            owner, slug, new ProjectSettings("   ", "Not A Slug!", new string('x', ProjectService.MaxDescriptionLength + 1), ProjectVisibility.Private));

        Assert.False(result.Succeeded);
        Assert.Equal(
            [nameof(ProjectSettings.Description), nameof(ProjectSettings.Name), nameof(ProjectSettings.Slug)],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        var saved = await portal.QueryAsync(db => db.Projects.AsNoTracking().SingleAsync(p => p.Slug == slug));
        Assert.Equal("Valid name", saved.Name);
    }

    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_AsEditor_IsDenied(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var editor = await PortalUsers.CreateAsync(portal, "editor");
        var slug = await portal.CreateProjectAsync(owner, "Guarded");
        await portal.AddMemberAsync(slug, editor, ProjectRole.Editor);

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() =>
            portal.Projects().UpdateSettingsAsync(editor, slug, new ProjectSettings("Taken over", slug, "", ProjectVisibility.Internal)));
    }

    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_ArchivedProject_IsDeniedUntilUnarchived(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "archiver");
        var maintainer = await PortalUsers.CreateAsync(portal, "maintainer");
        var slug = await portal.CreateProjectAsync(owner, "Finished study");
        await portal.AddMemberAsync(slug, maintainer, ProjectRole.Maintainer);
        var rename = new ProjectSettings("Finished study (v2)", slug, "", ProjectVisibility.Private);

        await portal.Projects().ArchiveAsync(maintainer, slug);

        var denied = await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Projects().UpdateSettingsAsync(owner, slug, rename));
        Assert.Equal("The project is archived (read-only).", denied.Message);
        var site = await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail);
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Projects().UpdateSettingsAsync(site, slug, rename));

        await portal.Projects().UnarchiveAsync(maintainer, slug);

        Assert.True((await portal.Projects().UpdateSettingsAsync(owner, slug, rename)).Succeeded);
        var saved = await portal.QueryAsync(db => db.Projects.AsNoTracking().SingleAsync(p => p.Slug == slug));
        Assert.Null(saved.ArchivedAt);
        Assert.Equal("Finished study (v2)", saved.Name);
    }

    [Theory, DatabaseProviders]
    public async Task ArchiveAsync_AsEditor_IsDenied(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var editor = await PortalUsers.CreateAsync(portal, "editor");
        var slug = await portal.CreateProjectAsync(owner, "Keep going");
        await portal.AddMemberAsync(slug, editor, ProjectRole.Editor);

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Projects().ArchiveAsync(editor, slug));
    }
}
