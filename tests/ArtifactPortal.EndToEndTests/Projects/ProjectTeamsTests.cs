using ArtifactPortal.EndToEndTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Projects;

[Collection(PortalSuite.Name)]
public sealed class ProjectTeamsTests(PortalFixture fixture)
{
    [Fact]
    public async Task Team_AdministratorCreatesItAndOwnerAddsIt_TeamMemberReadsMembersWithTeamRole()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var team = $"vision-{suffix}";
        var name = $"Defect detection {suffix}";
        var owner = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("owner"));
        var dana = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("dana"));

        // The administrator creates the team and puts Dana in it.
        var admin = await fixture.NewSignedInPageAsync(PortalFixture.AdminEmail);
        await HomePage.OpenAsync(admin);
        await Expect(new PortalLayout(admin).Drawer.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Teams" })).ToBeVisibleAsync();
        var teams = await TeamsPage.OpenAsync(admin);
        await teams.CreateAsync(team, "Computer vision people");
        await teams.AddMemberAsync(dana);
        await fixture.ScreenshotAsync(admin, "teams-1-team-members-dialog");
        await teams.Dialog.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(teams.Row(team)).ToContainTextAsync("Computer vision people");
        await fixture.ScreenshotAsync(admin, "teams-2-admin-teams-page");

        // The project's Owner adds the team as Editor and another person directly.
        var page = await fixture.NewSignedInPageAsync(owner);
        var home = await HomePage.OpenAsync(page);
        var newProject = await home.OpenNewProjectDialogAsync();
        await newProject.FillAsync(name, "Scratches and dents on the assembly line.");
        await newProject.CreateAsync();
        await page.GotoAsync($"p/defect-detection-{suffix}/members");
        var members = new ProjectMembersPage(page);
        await members.WaitUntilShownAsync(name);
        await members.AddTeamButton.ClickAsync();
        await members.SelectAsync("Team", team);
        await members.SelectAsync("Role", "Editor");
        await fixture.ScreenshotAsync(page, "teams-3-add-team-dialog");
        await members.Dialog.GetByTestId("add-team-confirm").ClickAsync();
        await Expect(members.TeamsTable.Locator("tbody tr").Filter(new() { HasText = team })).ToContainTextAsync("Editor");
        await members.AddMemberAsync(PortalFixture.MemberEmail, "Maintainer");
        await Expect(members.Member(PortalFixture.MemberEmail)).ToContainTextAsync("Maintainer");
        await fixture.ScreenshotAsync(page, "teams-4-members-with-team");

        // Dana is in through the team: she reads the list but cannot change it.
        var danaPage = await fixture.NewSignedInPageAsync(dana);
        await danaPage.GotoAsync($"p/defect-detection-{suffix}");
        await new ProjectPage(danaPage).WaitUntilShownAsync(name);
        await Expect(danaPage.GetByTestId("your-role")).ToHaveTextAsync("Editor");
        await danaPage.GotoAsync($"p/defect-detection-{suffix}/members");
        var readOnly = new ProjectMembersPage(danaPage);
        await readOnly.WaitUntilShownAsync(name);
        await Expect(readOnly.Member(owner)).ToContainTextAsync("Owner");
        await Expect(readOnly.TeamsTable).ToContainTextAsync(team);
        await Expect(readOnly.AddMemberButton).ToHaveCountAsync(0);
        await Expect(readOnly.InviteButton).ToHaveCountAsync(0);
        await Expect(readOnly.InvitationsTable).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(danaPage, "teams-5-member-read-only");

        // Deleting the team takes Dana's access away with it.
        await teams.DeleteAsync(team);
        await Expect(teams.Row(team)).ToHaveCountAsync(0);
        var response = await danaPage.GotoAsync($"p/defect-detection-{suffix}");
        Assert.Equal(404, response?.Status);

        foreach (var context in new[] { admin.Context, page.Context, danaPage.Context })
        {
            await context.CloseAsync();
        }
    }
}
