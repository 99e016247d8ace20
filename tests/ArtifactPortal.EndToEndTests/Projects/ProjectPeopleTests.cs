using ArtifactPortal.EndToEndTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Projects;

[Collection(PortalSuite.Name)]
public sealed class ProjectPeopleTests(PortalFixture fixture)
{
    /// <summary>
    /// Issue 3's three-person story: Alice invites Bob (no account yet) to a private project as Viewer; Carol, not a
    /// member, opens the same project link, requests access and gets in once Alice approves.
    /// </summary>
    [Fact]
    public async Task PrivateProject_InviteeAndApprovedRequester_OpenTheCopiedLink()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Churn model {suffix}";
        var alice = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("alice"));
        var carol = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("carol"));
        var bob = PortalFixture.UniqueEmail("bob");

        // A creates a private project and copies its link.
        var a = await fixture.NewSignedInPageAsync(alice);
        await a.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var home = await HomePage.OpenAsync(a);
        var newProject = await home.OpenNewProjectDialogAsync();
        await newProject.FillAsync(name, "Predicts which customers leave next quarter.");
        await newProject.CreateAsync();
        await home.ProjectCard(name).GetByTestId("project-link").ClickAsync();
        var project = new ProjectPage(a);
        await project.WaitUntilShownAsync(name);
        var projectLink = await project.CopyLinkAsync();
        Assert.Equal(new Uri(fixture.BaseUrl, $"p/churn-model-{suffix}").ToString(), projectLink);

        // A invites B as Viewer from the members page.
        await project.MembersTab.ClickAsync();
        var members = new ProjectMembersPage(a);
        await Expect(members.Member(alice)).ToContainTextAsync("Owner");
        await members.FillViewerInviteAsync(bob);
        await fixture.ScreenshotAsync(a, "people-01-invite-dialog");
        var inviteLink = await members.CreateInviteAsync();
        await fixture.ScreenshotAsync(a, "people-02-invite-link");
        await members.CopyInviteAndCloseAsync();
        await Expect(members.InvitationsTable).ToContainTextAsync(bob);
        await fixture.ScreenshotAsync(a, "people-03-members-with-invitation");

        // B, signed out, opens the invite link, registers and lands back on it as a member.
        var b = await fixture.NewAnonymousPageAsync();
        await b.GotoAsync(inviteLink);
        var invitation = new InvitationPage(b);
        // Signed out there is no interactive circuit: the page is plain links, usable as soon as it shows.
        await Expect(invitation.Heading).ToHaveTextAsync($"Join {name}");
        await fixture.ScreenshotAsync(b, "people-04-invitation-signed-out");
        await invitation.CreateAccountButton.ClickAsync();
        var register = new RegisterPage(b);
        await Expect(register.Heading).ToBeVisibleAsync();
        await Expect(b.GetByTestId("register-invitation")).ToContainTextAsync($"You are joining {name} as Viewer");
        await register.FillAsync(bob, PortalFixture.Password);
        await fixture.ScreenshotAsync(b, "people-05-register-through-invitation");
        await register.SubmitAsync();
        await Expect(invitation.Heading).ToHaveTextAsync($"You joined {name}");
        await invitation.WaitForSignedInAsync(bob);
        await fixture.ScreenshotAsync(b, "people-06-invitation-accepted");
        await b.GotoAsync(projectLink);
        await new ProjectPage(b).WaitUntilShownAsync(name);
        await Expect(b.GetByTestId("your-role")).ToHaveTextAsync("Viewer");
        await fixture.ScreenshotAsync(b, "people-07-invitee-opens-project-link");

        // C, signed in but no member, opens the same link: not found, with a way to ask for access.
        var c = await fixture.NewSignedInPageAsync(carol);
        var response = await c.GotoAsync(projectLink);
        Assert.Equal(404, response?.Status);
        var notFound = new NotFoundPage(c);
        await Expect(notFound.Heading).ToBeVisibleAsync();
        await Expect(c.GetByText(name)).ToHaveCountAsync(0);
        await notFound.WaitForInteractiveAsync();
        await notFound.Message.FillAsync("I run the retention campaigns.");
        await notFound.RequestAccessButton.ClickAsync();
        await Expect(notFound.RequestSent).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(c, "people-08-outsider-requested-access");

        // A sees the request on the members page and approves C as Viewer.
        await a.ReloadAsync();
        await members.WaitUntilShownAsync(name);
        await Expect(members.AccessRequest(carol)).ToContainTextAsync("I run the retention campaigns.");
        await fixture.ScreenshotAsync(a, "people-09-pending-access-request");
        await members.ApproveAsync(carol, "Viewer");
        await Expect(a.GetByText($"{carol} joined as Viewer.")).ToBeVisibleAsync();
        await Expect(members.AccessRequests).ToHaveCountAsync(0);
        await Expect(members.Member(carol)).ToContainTextAsync("Viewer");
        await Expect(members.Member(bob)).ToContainTextAsync("Viewer");
        await fixture.ScreenshotAsync(a, "people-10-request-approved");

        // C reloads the link and is in.
        await c.ReloadAsync();
        await new ProjectPage(c).WaitUntilShownAsync(name);
        await fixture.ScreenshotAsync(c, "people-11-requester-opens-project-link");

        foreach (var context in new[] { a.Context, b.Context, c.Context })
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task InviteLink_ExistingAccountSignedOut_LogsInComesBackAndAccepts()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Forecasts {suffix}";
        var owner = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("owner"));
        var erin = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("erin"));
        var a = await fixture.NewSignedInPageAsync(owner);
        var home = await HomePage.OpenAsync(a);
        var newProject = await home.OpenNewProjectDialogAsync();
        await newProject.FillAsync(name, "Weekly demand forecasts.");
        await newProject.CreateAsync();
        await a.GotoAsync($"p/forecasts-{suffix}/members");
        var members = new ProjectMembersPage(a);
        await members.WaitUntilShownAsync(name);
        await members.FillViewerInviteAsync("");
        await members.SelectAsync("Role", "Editor");
        var inviteLink = await members.CreateInviteAsync();

        var e = await fixture.NewAnonymousPageAsync();
        await e.GotoAsync(inviteLink);
        var invitation = new InvitationPage(e);
        await invitation.LogInButton.ClickAsync();
        var login = new LoginPage(e);
        await login.WaitUntilShownAsync();
        await login.LogInAsync(erin, PortalFixture.Password);
        await Expect(invitation.Heading).ToHaveTextAsync($"Join {name}");
        await invitation.WaitForInteractiveAsync();
        await fixture.ScreenshotAsync(e, "people-12-invitation-signed-in");
        await invitation.AcceptButton.ClickAsync();

        await new ProjectPage(e).WaitUntilShownAsync(name);
        await Expect(e.GetByTestId("your-role")).ToHaveTextAsync("Editor");
        await Expect(e.GetByText($"Welcome to {name}. Your role is Editor.")).ToBeVisibleAsync();

        // A link that does not work (unknown, used by someone else, expired, revoked) names nothing.
        await e.GotoAsync(inviteLink.Replace(inviteLink[^4..], "AAAA", StringComparison.Ordinal));
        await Expect(invitation.Heading).ToHaveTextAsync("This invitation is no longer valid");
        await fixture.ScreenshotAsync(e, "people-13-invitation-no-longer-valid");
        await a.Context.CloseAsync();
        await e.Context.CloseAsync();
    }
}
