using System.Net;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class ProjectDeletionTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task DeleteAsync_TypedNameNotExactlyTheName_KeepsTheProject(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "careful");
        var slug = await portal.CreateProjectAsync(owner, "Fraud Detection");

        foreach (var typed in new[] { "", "fraud detection", "Fraud Detection ", slug })
        {
            var result = await portal.Projects().DeleteAsync(owner, slug, typed);
            Assert.False(result.Succeeded, $"Deleted after typing \"{typed}\".");
            Assert.Equal("Type the project name exactly as shown: Fraud Detection", result.Errors["ConfirmName"]);
        }

        Assert.NotNull(await portal.Access().FindAsync(owner, slug));
    }

    [Theory, DatabaseProviders]
    public async Task DeleteAsync_AsMaintainer_IsDenied(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var maintainer = await PortalUsers.CreateAsync(portal, "maintainer");
        var slug = await portal.CreateProjectAsync(owner, "Not yours");
        await portal.AddMemberAsync(slug, maintainer, ProjectRole.Maintainer);

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Projects().DeleteAsync(maintainer, slug, "Not yours"));
    }

    [Theory, DatabaseProviders]
    public async Task DeleteAsync_ExactName_HidesProjectFromMembersUntilAnAdministratorRestoresIt(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var memberBrowser = portal.CreateBrowser();
        var memberEmail = PortalBrowser.NewEmail("member");
        await memberBrowser.RegisterAndSignInAsync(memberEmail);
        var member = await PortalUsers.PrincipalAsync(portal, memberEmail);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var admin = await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail);
        var slug = await portal.CreateProjectAsync(owner, "Short-lived");
        await portal.AddMemberAsync(slug, member, ProjectRole.Editor);
        await memberBrowser.OpenAsync($"/p/{slug}");

        var deleted = await portal.Projects().DeleteAsync(owner, slug, "Short-lived");

        Assert.True(deleted.Succeeded, deleted.ErrorMessage);
        using (var gone = await memberBrowser.Client.GetAsync($"/p/{slug}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.DoesNotContain(slug, (await portal.Projects().ListVisibleAsync(member, null, ProjectSort.Name)).Select(p => p.Slug));
        var stored = await portal.QueryAsync(db => db.Projects.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Slug == slug));
        Assert.NotNull(stored.DeletedAt);
        Assert.Equal(owner.FindFirstValue(ClaimTypes.NameIdentifier), stored.DeletedByUserId);
        var listed = Assert.Single(await portal.Projects().ListDeletedAsync(admin), p => p.Slug == slug);
        Assert.True(listed.CanRestore);
        Assert.Equal(owner.Identity!.Name, listed.DeletedBy);
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Projects().ListDeletedAsync(owner));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Projects().RestoreAsync(owner, stored.Id));

        var restored = await portal.Projects().RestoreAsync(admin, stored.Id);

        Assert.True(restored.Succeeded, restored.ErrorMessage);
        Assert.Equal(slug, restored.Value);
        var page = await memberBrowser.OpenAsync($"/p/{slug}");
        Assert.Equal("Short-lived", page.Document.QuerySelector("h1")?.TextContent.Trim());
        Assert.DoesNotContain(slug, (await portal.Projects().ListDeletedAsync(admin)).Select(p => p.Slug));
    }

    [Theory, DatabaseProviders]
    public async Task RestoreAsync_AfterTheRestoreWindow_IsRefused(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var admin = await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail);
        var slug = await portal.CreateProjectAsync(owner, "Long gone");
        Assert.True((await portal.Projects().DeleteAsync(owner, slug, "Long gone")).Succeeded);
        await portal.ChangeProjectAsync(slug, p => p.DeletedAt = DateTimeOffset.UtcNow - ProjectService.RestoreWindow - TimeSpan.FromHours(1));
        var id = await portal.ProjectIdAsync(slug);

        var result = await portal.Projects().RestoreAsync(admin, id);

        Assert.False(result.Succeeded);
        Assert.Contains("more than 30 days ago", result.ErrorMessage, StringComparison.Ordinal);
        Assert.False(Assert.Single(await portal.Projects().ListDeletedAsync(admin), p => p.Id == id).CanRestore);
    }

    [Theory, DatabaseProviders]
    public async Task RestoreAsync_SlugNowLeadsToAnotherProject_ExplainsTheConflict(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var admin = await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail);
        var slug = await portal.CreateProjectAsync(owner, "Deleted first");
        var other = await portal.CreateProjectAsync(owner, "Other");
        Assert.True((await portal.Projects().DeleteAsync(owner, slug, "Deleted first")).Succeeded);
        // The portal itself never hands out a deleted project's slug; an operator's manual fix could, and restore must notice.
        var otherId = await portal.ProjectIdAsync(other);
        await portal.QueryAsync(async db =>
        {
            db.ProjectSlugRedirects.Add(new ProjectSlugRedirect { OldSlug = slug, ProjectId = otherId, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var result = await portal.Projects().RestoreAsync(admin, await portal.ProjectIdAsync(slug));

        Assert.False(result.Succeeded);
        Assert.Equal(
            $"Cannot restore Deleted first: its URL name \"{slug}\" now belongs to another project. Rename that project first.",
            result.Errors[nameof(ProjectSettings.Slug)]);
    }

    [Theory, DatabaseProviders]
    public async Task CreateAsync_SlugOfADeletedProject_StaysReservedUntilThePurge(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "owner");
        var slug = await portal.CreateProjectAsync(owner, "Reserved");
        Assert.True((await portal.Projects().DeleteAsync(owner, slug, "Reserved")).Succeeded);

        var again = await portal.Projects().CreateAsync(owner, new NewProject("Reserved again", slug, "", ProjectVisibility.Private));

        Assert.Equal($"The URL name \"{slug}\" is taken; choose another.", again.Errors[nameof(NewProject.Slug)]);
    }
}
