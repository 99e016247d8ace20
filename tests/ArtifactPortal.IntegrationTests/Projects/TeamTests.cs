using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class TeamTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task TeamRole_MemberOfAddedTeam_GetsHighestOfDirectAndTeamRoleUntilTeamRemoved(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var admin = await portal.AdministratorAsync();
        var owner = await portal.CreateUserAsync("owner");
        var dana = await portal.CreateUserAsync("dana");
        var project = await portal.CreateProjectAsync(owner);
        var teams = portal.Service<TeamService>();
        var members = portal.Service<ProjectMemberService>();
        var team = await CreateTeamAsync(teams, admin);
        Assert.True((await teams.AddMemberAsync(admin.Principal, team.Id, dana.Email)).Succeeded);
        Assert.Null(await portal.RoleAsync(dana, project));

        Assert.True((await members.AddTeamAsync(owner.Principal, project.Slug, team.Id, ProjectRole.Editor)).Succeeded);
        Assert.Equal(ProjectRole.Editor, await portal.RoleAsync(dana, project));

        // A lower direct role does not lower the team's; a higher one wins.
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, dana.Email, ProjectRole.Viewer)).Succeeded);
        Assert.Equal(ProjectRole.Editor, await portal.RoleAsync(dana, project));
        Assert.True((await members.ChangeRoleAsync(owner.Principal, project.Slug, dana.Id, ProjectRole.Maintainer)).Succeeded);
        Assert.Equal(ProjectRole.Maintainer, await portal.RoleAsync(dana, project));
        Assert.True((await members.ChangeTeamRoleAsync(owner.Principal, project.Slug, team.Id, ProjectRole.Owner)).Succeeded);
        Assert.Equal(ProjectRole.Owner, await portal.RoleAsync(dana, project));

        Assert.True((await members.RemoveAsync(owner.Principal, project.Slug, dana.Id)).Succeeded);
        Assert.Equal(ProjectRole.Owner, await portal.RoleAsync(dana, project));
        Assert.True((await members.RemoveTeamAsync(owner.Principal, project.Slug, team.Id)).Succeeded);
        Assert.Null(await portal.RoleAsync(dana, project));

        var audit = await portal.AuditAsync(project.Id);
        Assert.Contains(audit, e => e is { Action: AuditActions.TeamAdded, Details: "role Editor" } && e.Target == team.Name);
        Assert.Contains(audit, e => e is { Action: AuditActions.TeamRoleChanged, Details: "role Editor → Owner" } && e.Target == team.Name);
        Assert.Contains(audit, e => e is { Action: AuditActions.TeamRemoved, Details: "role Owner" } && e.Target == team.Name);
        Assert.Contains(await portal.AuditAsync(null), e => e.Action == AuditActions.TeamMemberAdded && e.Target == dana.Email
            && e.Details == $"team {team.Name}");
    }

    [Theory, DatabaseProviders]
    public async Task TeamMembership_RemovedFromTeamOrTeamDeleted_LosesAccessAndProjectAuditSaysWhy(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var admin = await portal.AdministratorAsync();
        var owner = await portal.CreateUserAsync("owner");
        var eve = await portal.CreateUserAsync("eve");
        var frank = await portal.CreateUserAsync("frank");
        var project = await portal.CreateProjectAsync(owner);
        var teams = portal.Service<TeamService>();
        var team = await CreateTeamAsync(teams, admin);
        Assert.True((await portal.Service<ProjectMemberService>().AddTeamAsync(owner.Principal, project.Slug, team.Id, ProjectRole.Viewer)).Succeeded);
        Assert.True((await teams.AddMemberAsync(admin.Principal, team.Id, eve.Email)).Succeeded);
        Assert.True((await teams.AddMemberAsync(admin.Principal, team.Id, frank.Email)).Succeeded);
        Assert.Equal([eve.Email, frank.Email], (await teams.ListMembersAsync(admin.Principal, team.Id)).Select(m => m.Email).Order());

        Assert.True((await teams.RemoveMemberAsync(admin.Principal, team.Id, eve.Id)).Succeeded);
        Assert.Null(await portal.RoleAsync(eve, project));
        Assert.Equal(ProjectRole.Viewer, await portal.RoleAsync(frank, project));

        Assert.True((await teams.DeleteAsync(admin.Principal, team.Id)).Succeeded);
        Assert.Null(await portal.RoleAsync(frank, project));
        Assert.DoesNotContain(await teams.ListAsync(admin.Principal), t => t.Id == team.Id);

        var audit = await portal.AuditAsync(project.Id);
        Assert.Contains(audit, e => e.Action == AuditActions.TeamMemberAdded && e.Target == frank.Email);
        Assert.Contains(audit, e => e.Action == AuditActions.TeamMemberRemoved && e.Target == eve.Email);
        Assert.Contains(audit, e => e.Action == AuditActions.TeamRemoved && e.Details.Contains("the team was deleted", StringComparison.Ordinal));
        Assert.Contains(await portal.AuditAsync(null), e => e.Action == AuditActions.TeamDeleted && e.Target == team.Name);
    }

    [Theory, DatabaseProviders]
    public async Task AddTeamAsync_MaintainerGivesTeamOwnerRole_IsDenied(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var admin = await portal.AdministratorAsync();
        var owner = await portal.CreateUserAsync("owner");
        var maintainer = await portal.CreateUserAsync("maintainer");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        var team = await CreateTeamAsync(portal.Service<TeamService>(), admin);
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, maintainer.Email, ProjectRole.Maintainer)).Succeeded);

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.AddTeamAsync(maintainer.Principal, project.Slug, team.Id, ProjectRole.Owner));
        Assert.True((await members.AddTeamAsync(maintainer.Principal, project.Slug, team.Id, ProjectRole.Editor)).Succeeded);
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => members.ChangeTeamRoleAsync(maintainer.Principal, project.Slug, team.Id, ProjectRole.Owner));
        var duplicate = await members.AddTeamAsync(maintainer.Principal, project.Slug, team.Id, ProjectRole.Viewer);
        Assert.Contains("already in the project", duplicate.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory, DatabaseProviders]
    public async Task TeamService_NonAdministratorOrBadName_IsRefused(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var admin = await portal.AdministratorAsync();
        var someone = await portal.CreateUserAsync("someone");
        var teams = portal.Service<TeamService>();

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => teams.CreateAsync(someone.Principal, "sneaky-team", ""));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => teams.ListAsync(someone.Principal));
        var badName = await teams.CreateAsync(admin.Principal, "Vision Team!", "");
        Assert.Contains("lowercase letters", badName.Errors[TeamService.NameField], StringComparison.Ordinal);
        var team = await CreateTeamAsync(teams, admin);
        var duplicate = await teams.CreateAsync(admin.Principal, team.Name, "");
        Assert.Equal($"There is already a team called {team.Name}.", duplicate.Errors[TeamService.NameField]);
        Assert.Contains(await teams.ListForProjectsAsync(someone.Principal), t => t.Name == team.Name);
    }

    private static async Task<TeamListItem> CreateTeamAsync(TeamService teams, TestUser admin)
    {
        var created = await teams.CreateAsync(admin.Principal, $"team-{Guid.NewGuid().ToString("N")[..8]}", "People who test things");
        Assert.True(created.Succeeded, created.ErrorMessage);
        return created.Value!;
    }
}
