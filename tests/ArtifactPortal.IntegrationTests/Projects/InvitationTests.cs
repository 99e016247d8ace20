using System.Security.Cryptography;
using System.Text;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.IntegrationTests.Projects;

[Collection(PortalCollectionDefinition.Name)]
public sealed class InvitationTests(PortalFixture fixture)
{
    private static readonly Uri BaseUri = new("http://localhost/");

    [Theory, DatabaseProviders]
    public async Task AcceptAsync_OpenLink_MakesMemberWithInvitedRoleOnceAndAudits(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var guest = await portal.CreateUserAsync("guest");
        var latecomer = await portal.CreateUserAsync("latecomer");
        var project = await portal.CreateProjectAsync(owner);
        var invitations = portal.Service<InvitationService>();
        var created = await CreateAsync(portal, owner, project, ProjectRole.Editor, email: guest.Email);
        Assert.Equal($"/invite/{TokenOf(created)}", created.Link.AbsolutePath);
        Assert.Equal(created.Id, Assert.Single(await invitations.ListOpenAsync(owner.Principal, project.Slug)).Id);

        var preview = await invitations.FindAsync(null, TokenOf(created));
        Assert.Equal((project.Name, ProjectRole.Editor, owner.Email), (preview?.ProjectName, preview?.Role, preview?.InvitedBy));

        var accepted = await invitations.AcceptAsync(guest.Principal, TokenOf(created));

        Assert.True(accepted.Succeeded, accepted.ErrorMessage);
        Assert.Equal(ProjectRole.Editor, await portal.RoleAsync(guest, project));
        Assert.True((await invitations.FindAsync(guest.Principal, TokenOf(created)))?.AcceptedByCaller);
        Assert.Empty(await invitations.ListOpenAsync(owner.Principal, project.Slug));

        // One use: neither the same person nor anyone else gets in with it again.
        var reused = await invitations.AcceptAsync(latecomer.Principal, TokenOf(created));
        Assert.Equal(InvitationService.NoLongerValidMessage, reused.ErrorMessage);
        Assert.Equal(InvitationService.NoLongerValidMessage, (await invitations.AcceptAsync(guest.Principal, TokenOf(created))).ErrorMessage);
        Assert.Null(await portal.RoleAsync(latecomer, project));
        Assert.Null(await invitations.FindAsync(latecomer.Principal, TokenOf(created)));

        var audit = await portal.AuditAsync(project.Id);
        Assert.Contains(audit, e => e.Action == AuditActions.InvitationCreated && e.Target == guest.Email && e.ActorUserId == owner.Id
            && e.Details.StartsWith("role Editor", StringComparison.Ordinal));
        Assert.Single(audit, e => e is { Action: AuditActions.InvitationAccepted, Details: "role Editor" } && e.ActorUserId == guest.Id);
    }

    [Theory, DatabaseProviders]
    public async Task AcceptAsync_ExpiredOrRevokedOrUnknownLink_FailsAlikeAndPageSaysNoLongerValid(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var guest = await portal.CreateUserAsync("guest");
        var project = await portal.CreateProjectAsync(owner);
        var invitations = portal.Service<InvitationService>();
        var expired = await CreateAsync(portal, owner, project, ProjectRole.Viewer);
        var revoked = await CreateAsync(portal, owner, project, ProjectRole.Viewer);
        await portal.ChangeDatabaseAsync(db => db.ProjectInvitations.Where(i => i.Id == expired.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.True((await invitations.RevokeAsync(owner.Principal, project.Slug, revoked.Id)).Succeeded);
        Assert.Empty(await invitations.ListOpenAsync(owner.Principal, project.Slug));

        foreach (var token in new[] { TokenOf(expired), TokenOf(revoked), LinkSecret.Create().Token, "not-a-token!" })
        {
            var accepted = await invitations.AcceptAsync(guest.Principal, token);
            Assert.Equal(InvitationService.NoLongerValidMessage, accepted.ErrorMessage);
        }

        Assert.Null(await portal.RoleAsync(guest, project));
        using var browser = portal.CreateBrowser();
        await browser.LogInSuccessfullyAsync(guest.Email);
        foreach (var token in new[] { TokenOf(expired), TokenOf(revoked), LinkSecret.Create().Token })
        {
            var page = await browser.OpenAsync($"/invite/{token}");
            Assert.Contains("This invitation is no longer valid", page.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(project.Name, page.Text, StringComparison.Ordinal);
        }

        Assert.Contains(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.InvitationRevoked && e.ActorUserId == owner.Id);
    }

    [Theory, DatabaseProviders]
    public async Task CreateAsync_Always_StoresOnlySha256OfToken(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var project = await portal.CreateProjectAsync(owner);

        var created = await CreateAsync(portal, owner, project, ProjectRole.Viewer);

        var token = TokenOf(created);
        Assert.Equal(43, token.Length); // 32 random bytes in Base64Url
        var row = await portal.Service<Core.Data.IPortalDbContextFactory>().CreateDbContextAsync()
            .ContinueWith(async t =>
            {
                await using var db = await t;
                return await db.ProjectInvitations.AsNoTracking().SingleAsync(i => i.Id == created.Id);
            }).Unwrap();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), row.TokenHash);
        var stored = typeof(ProjectInvitation).GetProperties().Select(p => p.GetValue(row)?.ToString() ?? "");
        Assert.DoesNotContain(stored, value => value.Contains(token, StringComparison.Ordinal));
        Assert.Equal(ProjectInvitation.Lifetime, row.ExpiresAt - row.CreatedAt);
    }

    [Theory, DatabaseProviders]
    public async Task AcceptAsync_MemberWithHigherRole_KeepsHigherRole(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var maintainer = await portal.CreateUserAsync("maintainer");
        var project = await portal.CreateProjectAsync(owner);
        Assert.True((await portal.Service<ProjectMemberService>().AddAsync(owner.Principal, project.Slug, maintainer.Email, ProjectRole.Maintainer)).Succeeded);
        var created = await CreateAsync(portal, owner, project, ProjectRole.Viewer);

        var accepted = await portal.Service<InvitationService>().AcceptAsync(maintainer.Principal, TokenOf(created));

        Assert.Equal(ProjectRole.Maintainer, accepted.Value?.Role);
        Assert.Equal(ProjectRole.Maintainer, await portal.RoleAsync(maintainer, project));
    }

    [Theory, DatabaseProviders]
    public async Task CreateAsync_MaintainerInvitesOwnerOrViewerInvites_IsDenied(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var maintainer = await portal.CreateUserAsync("maintainer");
        var viewer = await portal.CreateUserAsync("viewer");
        var project = await portal.CreateProjectAsync(owner);
        var members = portal.Service<ProjectMemberService>();
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, maintainer.Email, ProjectRole.Maintainer)).Succeeded);
        Assert.True((await members.AddAsync(owner.Principal, project.Slug, viewer.Email, ProjectRole.Viewer)).Succeeded);
        var invitations = portal.Service<InvitationService>();

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => invitations.CreateAsync(maintainer.Principal, project.Slug, ProjectRole.Owner, null, BaseUri));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => invitations.CreateAsync(viewer.Principal, project.Slug, ProjectRole.Viewer, null, BaseUri));
        var ownerInvite = await CreateAsync(portal, owner, project, ProjectRole.Owner);
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => invitations.RevokeAsync(maintainer.Principal, project.Slug, ownerInvite.Id));
        Assert.True((await invitations.CreateAsync(maintainer.Principal, project.Slug, ProjectRole.Maintainer, null, BaseUri)).Succeeded);
        var badEmail = await invitations.CreateAsync(owner.Principal, project.Slug, ProjectRole.Viewer, "Bob <bob@example.com>", BaseUri);
        Assert.True(badEmail.Errors.ContainsKey(InvitationService.EmailField));
    }

    [Theory, DatabaseProviders]
    public async Task InvitePage_SignedOutPersonRegistersThroughLink_JoinsAndOpensProject(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var project = await portal.CreateProjectAsync(owner);
        var created = await CreateAsync(portal, owner, project, ProjectRole.Viewer);
        var invitePath = $"/invite/{TokenOf(created)}";
        using var browser = portal.CreateBrowser();

        var landing = await browser.OpenAsync(invitePath);
        Assert.Contains($"Join {project.Name}", landing.Text, StringComparison.Ordinal);
        var registerLink = new Uri(browser.Client.BaseAddress!, landing.Document.QuerySelector("[data-testid=invite-register]")?.GetAttribute("href"));
        Assert.Equal("/Account/Register", registerLink.AbsolutePath);
        Assert.Equal($"?ReturnUrl={Uri.EscapeDataString(invitePath)}", registerLink.Query);

        var email = PortalBrowser.NewEmail("invitee");
        using var registered = await RegisterAsync(browser, registerLink.PathAndQuery, email);

        Assert.Equal(invitePath, browser.RedirectTarget(registered)?.AbsolutePath);
        var joined = await browser.FollowAsync(registered);
        Assert.Contains($"You joined {project.Name}", joined.Text, StringComparison.Ordinal);
        var projectPage = await browser.OpenAsync($"/p/{project.Slug}");
        Assert.Contains(project.Name, projectPage.Text, StringComparison.Ordinal);
        Assert.Equal("Viewer", projectPage.ShownRole());
        Assert.Contains(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.InvitationAccepted && e.ActorName == email);
    }

    [Theory, DatabaseProviders]
    public async Task Register_InviteOnlySite_AcceptsOnlyOpenInvitationCheckedOnPost(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("owner");
        var project = await portal.CreateProjectAsync(owner);
        var invitations = portal.Service<InvitationService>();
        var auth = portal.Service<IOptions<AuthOptions>>().Value;
        // Tests in this assembly run one at a time, so switching the shared portal to invite-only here affects no other test.
        auth.AllowSelfRegistration = false;
        try
        {
            using var browser = portal.CreateBrowser();
            var closed = await browser.OpenAsync("/Account/Register");
            Assert.Contains("This portal is invite-only", closed.Text, StringComparison.Ordinal);
            Assert.Null(closed.Document.QuerySelector("form input[name='Input.Email']"));

            // The form shown for an open invitation, posted after the invitation was revoked: the server checks again.
            var revoked = await CreateAsync(portal, owner, project, ProjectRole.Viewer);
            var revokedForm = await browser.OpenAsync(RegisterPath(revoked));
            Assert.Contains($"You are joining {project.Name} as Viewer", revokedForm.Text, StringComparison.Ordinal);
            Assert.True((await invitations.RevokeAsync(owner.Principal, project.Slug, revoked.Id)).Succeeded);
            var refusedEmail = PortalBrowser.NewEmail("refused");
            using (var refused = await SubmitAsync(browser, revokedForm, refusedEmail))
            {
                Assert.Null(browser.RedirectTarget(refused));
            }

            // A form shown for an open invitation, posted without the invitation in the return URL.
            var open = await CreateAsync(portal, owner, project, ProjectRole.Editor);
            var strippedForm = await browser.OpenAsync(RegisterPath(open));
            strippedForm.Document.QuerySelector("form input[name='_handler'][value='register']")!.Closest("form")!
                .SetAttribute("action", "/Account/Register");
            using (var stripped = await SubmitAsync(browser, strippedForm, refusedEmail))
            {
                Assert.Null(browser.RedirectTarget(stripped));
            }

            using (var login = await browser.LogInAsync(refusedEmail, PortalBrowser.TestPassword))
            {
                Assert.Null(browser.RedirectTarget(login));
            }

            var invitedEmail = PortalBrowser.NewEmail("invited");
            using var registered = await SubmitAsync(browser, await browser.OpenAsync(RegisterPath(open)), invitedEmail);
            Assert.Equal($"/invite/{TokenOf(open)}", browser.RedirectTarget(registered)?.AbsolutePath);
            var projectPage = await browser.OpenAsync($"/p/{project.Slug}");
            Assert.Equal("Editor", projectPage.ShownRole());
            Assert.Null(await invitations.FindAsync(null, TokenOf(open)));
        }
        finally
        {
            auth.AllowSelfRegistration = true;
        }
    }

    private static async Task<CreatedInvitation> CreateAsync(
        PortalWebApplicationFactory portal, TestUser by, ProjectSummary project, ProjectRole role, string? email = null)
    {
        var created = await portal.Service<InvitationService>().CreateAsync(by.Principal, project.Slug, role, email, BaseUri);
        Assert.True(created.Succeeded, created.ErrorMessage);
        Assert.False(created.Value!.Emailed); // The test portals have no SMTP server.
        return created.Value;
    }

    private static string TokenOf(CreatedInvitation invitation) => invitation.Link.Segments[^1];

    private static string RegisterPath(CreatedInvitation invitation) =>
        $"/Account/Register?ReturnUrl={Uri.EscapeDataString($"/invite/{TokenOf(invitation)}")}";

    private static async Task<HttpResponseMessage> RegisterAsync(PortalBrowser browser, string registerPath, string email) =>
        await SubmitAsync(browser, await browser.OpenAsync(registerPath), email);

    private static Task<HttpResponseMessage> SubmitAsync(PortalBrowser browser, PortalPage form, string email) =>
        browser.SubmitFormAsync(form, "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalBrowser.TestPassword,
            ["Input.ConfirmPassword"] = PortalBrowser.TestPassword,
        });
}
