using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class AccessRequestTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task ApproveAsync_PendingRequest_RequesterOpensProjectLink(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var carol = await portal.CreateUserAsync("carol");
        var project = await portal.CreateProjectAsync(owner);
        var requests = portal.Service<AccessRequestService>();
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(carol.Email);
        await AssertNotFoundAsync(browser, project);

        await requests.RequestAsync(carol.Principal, project.Slug, "I review the fraud models.");
        var pending = Assert.Single(await requests.ListPendingAsync(owner.Principal, project.Slug));
        Assert.Equal((carol.Email, "I review the fraud models."), (pending.UserName, pending.Message));
        var approved = await requests.ApproveAsync(owner.Principal, project.Slug, pending.Id, ProjectRole.Viewer);

        Assert.True(approved.Succeeded, approved.ErrorMessage);
        Assert.Empty(await requests.ListPendingAsync(owner.Principal, project.Slug));
        var page = await browser.OpenAsync($"/p/{project.Slug}");
        Assert.Contains(project.Name, page.Text, StringComparison.Ordinal);
        Assert.Equal("Viewer", page.ShownRole());
        var twice = await requests.ApproveAsync(owner.Principal, project.Slug, pending.Id, ProjectRole.Editor);
        Assert.Contains("already decided", twice.ErrorMessage, StringComparison.Ordinal);
        var audit = await portal.AuditAsync(project.Id);
        Assert.Contains(audit, e => e.Action == AuditActions.AccessRequested && e.ActorUserId == carol.Id);
        Assert.Contains(audit, e => e is { Action: AuditActions.AccessApproved, Details: "role Viewer" } && e.Target == carol.Email && e.ActorUserId == owner.Id);
    }

    [Theory, DatabaseProviders]
    public async Task DenyAsync_PendingRequest_RequesterStillGetsNotFound(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var mallory = await portal.CreateUserAsync("mallory");
        var project = await portal.CreateProjectAsync(owner);
        var requests = portal.Service<AccessRequestService>();
        await requests.RequestAsync(mallory.Principal, project.Slug, "");
        var pending = Assert.Single(await requests.ListPendingAsync(owner.Principal, project.Slug));

        var denied = await requests.DenyAsync(owner.Principal, project.Slug, pending.Id);

        Assert.True(denied.Succeeded, denied.ErrorMessage);
        Assert.Empty(await requests.ListPendingAsync(owner.Principal, project.Slug));
        Assert.Null(await portal.RoleAsync(mallory, project));
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(mallory.Email);
        await AssertNotFoundAsync(browser, project);
        Assert.Contains(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.AccessDenied && e.Target == mallory.Email);
    }

    [Theory, DatabaseProviders]
    public async Task ApproveAsync_ViewerOrMaintainerGrantingOwner_IsDenied(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var maintainer = await portal.CreateUserAsync("maintainer");
        var viewer = await portal.CreateUserAsync("viewer");
        var requester = await portal.CreateUserAsync("requester");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, maintainer.Email, ProjectRole.Maintainer)).Succeeded);
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, viewer.Email, ProjectRole.Viewer)).Succeeded);
        var requests = portal.Service<AccessRequestService>();
        await requests.RequestAsync(requester.Principal, project.Slug, "");
        var pending = Assert.Single(await requests.ListPendingAsync(maintainer.Principal, project.Slug));

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => requests.ListPendingAsync(viewer.Principal, project.Slug));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => requests.DenyAsync(viewer.Principal, project.Slug, pending.Id));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => requests.ApproveAsync(maintainer.Principal, project.Slug, pending.Id, ProjectRole.Owner));
        Assert.True((await requests.ApproveAsync(maintainer.Principal, project.Slug, pending.Id, ProjectRole.Editor)).Succeeded);
        Assert.Equal(ProjectRole.Editor, await portal.RoleAsync(requester, project));
    }

    private static async Task AssertNotFoundAsync(PortalBrowser browser, ProjectSummary project)
    {
        using var response = await browser.Client.GetAsync($"/p/{project.Slug}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await PortalBrowser.ParseAsync(response);
        Assert.Contains("Page not found", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(project.Name, page.Text, StringComparison.Ordinal);
    }
}
