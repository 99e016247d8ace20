using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class ProjectMemberServiceTests(PortalFixture fixture)
{
    private const string LastOwner = "A project always keeps at least one Owner";

    [Theory, DatabaseProviders]
    public async Task AddAsync_ByEmailInOtherCase_ListsMemberWithNameAndRoleAndAudits(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var bob = await portal.CreateUserAsync("bob");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();

        var added = await members.AddAsync(owner.Principal, project.Slug, bob.Email.ToUpperInvariant(), ProjectRole.Editor);

        Assert.True(added.Succeeded, added.ErrorMessage);
        Assert.Equal(ProjectRole.Editor, await portal.RoleAsync(bob, project));
        var people = await members.ListAsync(owner.Principal, project.Slug);
        Assert.Equal([(owner.Email, ProjectRole.Owner), (bob.Email, ProjectRole.Editor)], people.Members.Select(m => (m.Email, m.Role)));
        var found = await members.ListAsync(owner.Principal, project.Slug, search: bob.Email[..8]);
        Assert.Equal([bob.Email], found.Members.Select(m => m.UserName));
        var again = await members.AddAsync(owner.Principal, project.Slug, bob.Email, ProjectRole.Viewer);
        Assert.Contains("already a member", again.ErrorMessage, StringComparison.Ordinal);
        var nobody = await members.AddAsync(owner.Principal, project.Slug, "nobody-at-all@example.com", ProjectRole.Viewer);
        Assert.Contains("Nobody has the user name or email", nobody.ErrorMessage, StringComparison.Ordinal);

        Assert.True((await members.ChangeRoleAsync(owner.Principal, project.Slug, bob.Id, ProjectRole.Maintainer)).Succeeded);
        Assert.True((await members.RemoveAsync(owner.Principal, project.Slug, bob.Id)).Succeeded);

        Assert.Null(await portal.RoleAsync(bob, project));
        var audit = await portal.AuditAsync(project.Id);
        Assert.Contains(audit, e => e is { Action: AuditActions.MemberAdded, Details: "role Editor" } && e.Target == bob.Email && e.ActorUserId == owner.Id);
        Assert.Contains(audit, e => e is { Action: AuditActions.MemberRoleChanged, Details: "role Editor → Maintainer" } && e.Target == bob.Email);
        Assert.Contains(audit, e => e is { Action: AuditActions.MemberRemoved, Details: "role Maintainer" } && e.Target == bob.Email);
    }

    [Theory, DatabaseProviders]
    public async Task RemoveAndDemote_LastOwner_FailWithMessageAndOwnerStays(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("only-owner");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        var admin = await portal.AdministratorAsync();

        var demoted = await members.ChangeRoleAsync(owner.Principal, project.Slug, owner.Id, ProjectRole.Maintainer);
        var removed = await members.RemoveAsync(owner.Principal, project.Slug, owner.Id);
        var removedByAdmin = await members.RemoveAsync(admin.Principal, project.Slug, owner.Id);

        Assert.Contains(LastOwner, demoted.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(LastOwner, removed.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(LastOwner, removedByAdmin.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ProjectRole.Owner, await portal.RoleAsync(owner, project));
        Assert.DoesNotContain(await portal.AuditAsync(project.Id), e => e.Action is AuditActions.MemberRemoved or AuditActions.MemberRoleChanged);
    }

    [Theory, DatabaseProviders]
    public async Task RemoveAndDemote_WithSecondOwner_Succeed(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var first = await portal.CreateUserAsync("first-owner");
        var second = await portal.CreateUserAsync("second-owner");
        var project = await portal.CreateProjectAsync(first);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(first.Principal, project.Slug, second.Email, ProjectRole.Owner)).Succeeded);

        var demoted = await members.ChangeRoleAsync(second.Principal, project.Slug, first.Id, ProjectRole.Maintainer);
        Assert.True(demoted.Succeeded, demoted.ErrorMessage);
        Assert.Equal(ProjectRole.Maintainer, await portal.RoleAsync(first, project));

        Assert.True((await members.ChangeRoleAsync(second.Principal, project.Slug, first.Id, ProjectRole.Owner)).Succeeded);
        var removed = await members.RemoveAsync(first.Principal, project.Slug, second.Id);
        Assert.True(removed.Succeeded, removed.ErrorMessage);
        Assert.Null(await portal.RoleAsync(second, project));

        // The one Owner left is the last one again.
        Assert.Contains(LastOwner, (await members.RemoveAsync(first.Principal, project.Slug, first.Id)).ErrorMessage, StringComparison.Ordinal);
    }

    [Theory, DatabaseProviders]
    public async Task ChangeRoleAsync_TwoOwnersDemoteEachOtherAtOnce_OneOwnerRemains(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var first = await portal.CreateUserAsync("race-a");
        var second = await portal.CreateUserAsync("race-b");
        var project = await portal.CreateProjectAsync(first);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(first.Principal, project.Slug, second.Email, ProjectRole.Owner)).Succeeded);

        async Task<string?> DemoteAsync(TestUser actor, TestUser target)
        {
            try
            {
                var result = await members.ChangeRoleAsync(actor.Principal, project.Slug, target.Id, ProjectRole.Editor);
                return result.Succeeded ? null : result.ErrorMessage;
            }
            catch (PortalAccessDeniedException denied)
            {
                // The loser may check its own role only after the winner's change committed: it is no Owner any more.
                return denied.Message;
            }
        }

        var results = await Task.WhenAll(Task.Run(() => DemoteAsync(first, second)), Task.Run(() => DemoteAsync(second, first)));

        Assert.Single(results, r => r is null);
        var refusal = results.Single(r => r is not null)!;
        Assert.True(refusal.Contains(LastOwner, StringComparison.Ordinal) || refusal.Contains("does not allow", StringComparison.Ordinal), refusal);
        var roles = new[] { await portal.RoleAsync(first, project), await portal.RoleAsync(second, project) };
        Assert.Single(roles, r => r == ProjectRole.Owner);
    }

    [Theory, DatabaseProviders]
    public async Task Maintainer_GrantsOrTouchesOwner_IsDeniedButManagesLowerRoles(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var maintainer = await portal.CreateUserAsync("maintainer");
        var carol = await portal.CreateUserAsync("carol");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, maintainer.Email, ProjectRole.Maintainer)).Succeeded);

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.AddAsync(maintainer.Principal, project.Slug, carol.Email, ProjectRole.Owner));
        Assert.True((await members.AddAsync(maintainer.Principal, project.Slug, carol.Email, ProjectRole.Editor)).Succeeded);
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.ChangeRoleAsync(maintainer.Principal, project.Slug, carol.Id, ProjectRole.Owner));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.ChangeRoleAsync(maintainer.Principal, project.Slug, owner.Id, ProjectRole.Viewer));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.RemoveAsync(maintainer.Principal, project.Slug, owner.Id));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.TransferOwnershipAsync(maintainer.Principal, project.Slug, carol.Id, stepDown: false));
        Assert.True((await members.ChangeRoleAsync(maintainer.Principal, project.Slug, carol.Id, ProjectRole.Maintainer)).Succeeded);

        Assert.Equal(ProjectRole.Maintainer, await portal.RoleAsync(carol, project));
        Assert.Equal(ProjectRole.Owner, await portal.RoleAsync(owner, project));
    }

    [Theory, DatabaseProviders]
    public async Task ViewerAndOutsider_ManageMembers_AreDeniedAndOutsiderSeesNoProject(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var viewer = await portal.CreateUserAsync("viewer");
        var outsider = await portal.CreateUserAsync("outsider");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, viewer.Email, ProjectRole.Viewer)).Succeeded);

        var seen = await members.ListAsync(viewer.Principal, project.Slug);
        Assert.Equal(2, seen.Members.Count);
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.AddAsync(viewer.Principal, project.Slug, outsider.Email, ProjectRole.Viewer));
        // Outsiders learn nothing: the same "not found" as for a project that does not exist.
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => members.ListAsync(outsider.Principal, project.Slug));
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => members.AddAsync(outsider.Principal, project.Slug, outsider.Email, ProjectRole.Owner));
    }

    [Theory, DatabaseProviders]
    public async Task TransferOwnershipAsync_StepDown_MakesMemberOwnerAndCallerMaintainer(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("leaving-owner");
        var heir = await portal.CreateUserAsync("heir");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, heir.Email, ProjectRole.Editor)).Succeeded);

        var transferred = await members.TransferOwnershipAsync(owner.Principal, project.Slug, heir.Id, stepDown: true);

        Assert.True(transferred.Succeeded, transferred.ErrorMessage);
        Assert.Equal(ProjectRole.Owner, await portal.RoleAsync(heir, project));
        Assert.Equal(ProjectRole.Maintainer, await portal.RoleAsync(owner, project));
        Assert.Contains(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.OwnershipTransferred && e.Target == heir.Email
            && e.Details.Contains("Editor → Owner", StringComparison.Ordinal) && e.Details.Contains("stepped down to Maintainer", StringComparison.Ordinal));
    }
}
