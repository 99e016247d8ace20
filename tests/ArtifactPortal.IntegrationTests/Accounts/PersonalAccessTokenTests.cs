using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Accounts;

[Collection(PortalCollectionDefinition.Name)]
public sealed class PersonalAccessTokenTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Me_WithNewToken_Returns200WithOwnerAndScopesAndRecordsUse(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-me");
        var created = await portal.CreateTokenAsync(user, TokenScopes.Read);
        using var client = portal.CreateTokenClient(created.Token);

        using var response = await client.GetAsync($"{ApiEndpoints.Prefix}/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<ApiMe>(JsonSerializerOptions.Web);
        Assert.NotNull(me);
        Assert.Equal(user.Email, me.UserName);
        Assert.Equal(user.Email, me.Email);
        Assert.False(me.IsAdministrator);
        Assert.NotNull(me.Token);
        Assert.Equal(created.Summary.Id, me.Token.Id);
        Assert.Equal([TokenScopeNames.Read], me.Token.Scopes);
        Assert.Null(me.Token.Projects);
        var stored = await StoredAsync(portal, created.Summary.Id);
        Assert.NotNull(stored.LastUsedAt);
        var audit = await portal.AuditAsync(projectId: null);
        Assert.Contains(audit, e => e.Action == AuditActions.AccessTokenCreated && e.ActorUserId == user.Id && e.Target.Contains(created.Summary.Name, StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task Create_Always_StoresOnlyTheSha256OfTheToken(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-hash");

        var created = await portal.CreateTokenAsync(user, TokenScopes.Read | TokenScopes.Write);

        var stored = await StoredAsync(portal, created.Summary.Id);
        var secret = created.Token[PersonalAccessTokenFormat.Prefix.Length..];
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Token))), stored.SecretHash);
        Assert.Equal(secret[..PersonalAccessTokenFormat.DisplayPrefixLength], stored.DisplayPrefix);
        Assert.All(new[] { stored.SecretHash, stored.DisplayPrefix, stored.Name },
            column => Assert.DoesNotContain(secret, column, StringComparison.Ordinal));
        Assert.DoesNotContain(await portal.AuditAsync(projectId: null), e => e.Details.Contains(secret[..20], StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task Validate_UsedTwiceWithinAMinute_WritesLastUsedOnce(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-last-used");
        var created = await portal.CreateTokenAsync(user, TokenScopes.Read);
        // Whole seconds: PostgreSQL keeps microseconds and SQLite's encoding less than ticks.
        var recent = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeSeconds());
        await SetAsync(portal, created.Summary.Id, t => t.LastUsedAt = recent);

        await portal.TokenPrincipalAsync(created.Token);
        Assert.Equal(recent, (await StoredAsync(portal, created.Summary.Id)).LastUsedAt);

        await SetAsync(portal, created.Summary.Id, t => t.LastUsedAt = DateTimeOffset.UtcNow.AddMinutes(-2));
        await portal.TokenPrincipalAsync(created.Token);
        Assert.True((await StoredAsync(portal, created.Summary.Id)).LastUsedAt > DateTimeOffset.UtcNow.AddSeconds(-30));
    }

    [Theory, DatabaseProviders]
    public async Task Me_WithoutValidToken_Returns401ProblemWithoutRedirect(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-bad");
        var revoked = await portal.CreateTokenAsync(user, TokenScopes.Read);
        Assert.True((await portal.Service<PersonalAccessTokenService>().RevokeAsync(user.Principal, revoked.Summary.Id)).Succeeded);
        var expired = await portal.CreateTokenAsync(user, TokenScopes.Read);
        await SetAsync(portal, expired.Summary.Id, t => t.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
        var unknown = PersonalAccessTokenFormat.Create().Token;

        foreach (var (what, token) in new[]
        {
            ("unknown", unknown), ("revoked", revoked.Token), ("expired", expired.Token), ("malformed", "apt_nope"), ("not ours", "eyJhbGciOi.x.y"),
        })
        {
            using var client = portal.CreateTokenClient(token);
            using var response = await client.GetAsync($"{ApiEndpoints.Prefix}/me");
            await AssertUnauthorizedAsync(response, what);
        }

        using var anonymous = portal.CreateBrowser();
        using var noCredentials = await anonymous.Client.GetAsync($"{ApiEndpoints.Prefix}/projects");
        await AssertUnauthorizedAsync(noCredentials, "no credentials");
        Assert.Contains(await portal.AuditAsync(projectId: null), e => e.Action == AuditActions.AccessTokenRevoked && e.ActorUserId == user.Id);
    }

    [Theory, DatabaseProviders]
    public async Task Me_WithTokenOfDisabledAccount_Returns401(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-disabled");
        var created = await portal.CreateTokenAsync(user, TokenScopes.Read);
        using var client = portal.CreateTokenClient(created.Token);
        using (var before = await client.GetAsync($"{ApiEndpoints.Prefix}/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var disabled = await portal.Service<UserAdministrationService>().SetDisabledAsync((await portal.AdministratorAsync()).Principal, user.Id, disabled: true);
        Assert.True(disabled.Succeeded, disabled.ErrorMessage);

        using var after = await client.GetAsync($"{ApiEndpoints.Prefix}/me");
        await AssertUnauthorizedAsync(after, "disabled account");
    }

    /// <summary>The claims of a token are kept between calls; a change to the token or its owner must show on the very next call.</summary>
    [Theory, DatabaseProviders]
    public async Task Me_TokenUsedThenOwnerPromotedOrTokenRevoked_NextCallSeesTheChange(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-cached");
        var created = await portal.CreateTokenAsync(user, TokenScopes.Read);
        using var client = portal.CreateTokenClient(created.Token);
        for (var call = 0; call < 2; call++)
        {
            var me = await client.GetFromJsonAsync<JsonElement>($"{ApiEndpoints.Prefix}/me");
            Assert.False(me.GetProperty("isAdministrator").GetBoolean());
        }

        var promoted = await portal.Service<UserAdministrationService>().SetAdministratorAsync((await portal.AdministratorAsync()).Principal, user.Id, administrator: true);
        Assert.True(promoted.Succeeded, promoted.ErrorMessage);
        var after = await client.GetFromJsonAsync<JsonElement>($"{ApiEndpoints.Prefix}/me");
        Assert.True(after.GetProperty("isAdministrator").GetBoolean());

        Assert.True((await portal.Service<PersonalAccessTokenService>().RevokeAsync(user.Principal, created.Summary.Id)).Succeeded);
        using var revoked = await client.GetAsync($"{ApiEndpoints.Prefix}/me");
        await AssertUnauthorizedAsync(revoked, "revoked after use");
    }

    [Theory, DatabaseProviders]
    public async Task ProjectAccess_ReadOnlyTokenOfMaintainer_DeniesEveryWrite(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("token-owner");
        var maintainer = await portal.CreateUserAsync("token-maintainer");
        var project = await portal.CreateProjectAsync(owner);
        await portal.AddMemberAsync(project.Slug, maintainer.Principal, ProjectRole.Maintainer);
        var readOnly = await portal.TokenPrincipalAsync((await portal.CreateTokenAsync(maintainer, TokenScopes.Read)).Token);
        var readWrite = await portal.TokenPrincipalAsync((await portal.CreateTokenAsync(maintainer, TokenScopes.Write)).Token);
        var access = portal.Service<ProjectAccessService>();

        var viaReadOnly = await access.FindAsync(readOnly, project.Slug);
        Assert.NotNull(viaReadOnly);
        Assert.Equal(ProjectRole.Maintainer, viaReadOnly.Role);
        Assert.True(viaReadOnly.Can(ProjectOperation.View));
        Assert.True(viaReadOnly.Can(ProjectOperation.ViewAuditLog));
        Assert.False(viaReadOnly.Can(ProjectOperation.UploadArtifacts));
        Assert.False(viaReadOnly.Can(ProjectOperation.EditSettings));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => access.DemandAsync(readOnly, project.Slug, ProjectOperation.EditSettings));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => access.DemandAsync(readOnly, project.Slug, ProjectOperation.UploadArtifacts));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => portal.Service<ProjectService>().ArchiveAsync(readOnly, project.Slug));

        var viaReadWrite = await access.DemandAsync(readWrite, project.Slug, ProjectOperation.EditSettings);
        Assert.True(viaReadWrite.Can(ProjectOperation.UploadArtifacts));
        Assert.False(viaReadWrite.Can(ProjectOperation.Delete));
    }

    [Theory, DatabaseProviders]
    public async Task Projects_WithProjectRestrictedToken_ListsOnlyThatProjectAndHidesTheOthers(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-restricted");
        var allowed = await portal.CreateProjectAsync(user);
        var other = await portal.CreateProjectAsync(user);
        var internalProject = await portal.CreateProjectAsync(await portal.CreateUserAsync("token-internal"), ProjectVisibility.Internal);
        var created = await portal.CreateTokenAsync(user, TokenScopes.Read | TokenScopes.Write, allowed.Id);
        using var client = portal.CreateTokenClient(created.Token);

        var listed = await client.GetFromJsonAsync<List<ApiProject>>($"{ApiEndpoints.Prefix}/projects", JsonSerializerOptions.Web);
        using var allowedResponse = await client.GetAsync($"{ApiEndpoints.Prefix}/projects/{allowed.Slug}");
        using var otherResponse = await client.GetAsync($"{ApiEndpoints.Prefix}/projects/{other.Slug}");
        using var internalResponse = await client.GetAsync($"{ApiEndpoints.Prefix}/projects/{internalProject.Slug}");

        Assert.Equal([allowed.Slug], listed!.Select(p => p.Slug));
        Assert.Equal(HttpStatusCode.OK, allowedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, internalResponse.StatusCode);
        Assert.Equal("application/problem+json", otherResponse.Content.Headers.ContentType?.MediaType);
        var principal = await portal.TokenPrincipalAsync(created.Token);
        Assert.Null(await portal.Service<ProjectAccessService>().FindAsync(principal, other.Slug));
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => portal.Service<ProjectService>().ArchiveAsync(principal, other.Slug));

        // The same person with a cookie, or an unrestricted token, sees all three.
        using var unrestricted = portal.CreateTokenClient((await portal.CreateTokenAsync(user, TokenScopes.Read)).Token);
        var all = await unrestricted.GetFromJsonAsync<List<ApiProject>>($"{ApiEndpoints.Prefix}/projects", JsonSerializerOptions.Web);
        Assert.Superset(new HashSet<string> { allowed.Slug, other.Slug, internalProject.Slug }, all!.Select(p => p.Slug).ToHashSet());
    }

    [Theory, DatabaseProviders]
    public async Task Create_LimitedToAProjectTheOwnerCannotSee_IsRefused(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-foreign");
        var foreign = await portal.CreateProjectAsync(await portal.CreateUserAsync("token-stranger"));

        var result = await portal.Service<PersonalAccessTokenService>().CreateAsync(
            user.Principal, new NewPersonalAccessToken("sneaky", TokenScopes.Read, 30, [foreign.Id]));

        Assert.False(result.Succeeded);
        Assert.Contains(nameof(NewPersonalAccessToken.ProjectIds), result.Errors.Keys);
    }

    [Theory, DatabaseProviders]
    public async Task CreateAndRevoke_WithTokenOrSomeoneElsesToken_AreRefused(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var user = await portal.CreateUserAsync("token-self");
        var stranger = await portal.CreateUserAsync("token-other");
        var created = await portal.CreateTokenAsync(user, TokenScopes.Read | TokenScopes.Write);
        var tokens = portal.Service<PersonalAccessTokenService>();
        var viaToken = await portal.TokenPrincipalAsync(created.Token);

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() =>
            tokens.CreateAsync(viaToken, new NewPersonalAccessToken("more", TokenScopes.Write, null, [])));
        Assert.False((await tokens.RevokeAsync(stranger.Principal, created.Summary.Id)).Succeeded);
        Assert.Single(await tokens.ListMineAsync(user.Principal), t => t.Id == created.Summary.Id && t.RevokedAt is null);
        Assert.Empty(await tokens.ListMineAsync(stranger.Principal));

        Assert.True((await tokens.RevokeAsync((await portal.AdministratorAsync()).Principal, created.Summary.Id)).Succeeded);
        Assert.NotNull((await tokens.ListMineAsync(user.Principal)).Single(t => t.Id == created.Summary.Id).RevokedAt);
    }

    [Theory, DatabaseProviders]
    public async Task JobsDashboard_WithAdministratorsToken_Returns403(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var created = await portal.CreateTokenAsync(await portal.AdministratorAsync(), TokenScopes.Read | TokenScopes.Write);
        using var client = portal.CreateTokenClient(created.Token);

        using var dashboard = await client.GetAsync(JobsDashboardEndpoints.Path);
        using var usersPage = await client.GetAsync("/admin/users");
        using var me = await client.GetFromJsonAsync<JsonDocument>($"{ApiEndpoints.Prefix}/me");

        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        // Pages ignore tokens altogether: to them the caller is not signed in.
        Assert.Equal(HttpStatusCode.Redirect, usersPage.StatusCode);
        Assert.Equal("/Account/Login", new Uri(client.BaseAddress!, usersPage.Headers.Location!).AbsolutePath);
        Assert.True(me!.RootElement.GetProperty("isAdministrator").GetBoolean());
    }

    [Theory, DatabaseProviders]
    public async Task TokensPage_CreateShowOnceUseAndRevoke_Works(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        var email = PortalBrowser.NewEmail("token-page");
        await browser.RegisterAndSignInAsync(email);
        var me = await PortalUsers.PrincipalAsync(portal, email);
        var slug = await portal.CreateProjectAsync(me, "Token page");
        await portal.CreateProjectAsync(me, "Token page other");
        var page = await browser.OpenAsync("/Account/Manage/Tokens");
        Assert.Contains("You have no access tokens.", page.Text, StringComparison.Ordinal);

        using var response = await browser.SubmitFormAsync(page, "create-token", new Dictionary<string, string>
        {
            ["Input.Name"] = "laptop script",
            ["Input.Read"] = "true",
            ["Input.ExpiresInDays"] = "7",
            ["ProjectIds"] = (await portal.ProjectIdAsync(slug)).ToString(),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await PortalBrowser.ParseAsync(response);
        var token = shown.Document.QuerySelector("[data-testid=new-token-value]")?.GetAttribute("value");
        Assert.True(PersonalAccessTokenFormat.IsWellFormed(token), shown.Text);
        Assert.Contains("shown only once", shown.Text, StringComparison.Ordinal);

        using var client = portal.CreateTokenClient(token);
        var listed = await client.GetFromJsonAsync<List<ApiProject>>($"{ApiEndpoints.Prefix}/projects", JsonSerializerOptions.Web);
        Assert.Equal([slug], listed!.Select(p => p.Slug));

        var reopened = await browser.OpenAsync("/Account/Manage/Tokens");
        Assert.DoesNotContain(token, reopened.Document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Contains("laptop script", reopened.Text, StringComparison.Ordinal);
        Assert.Contains(token[..(PersonalAccessTokenFormat.Prefix.Length + PersonalAccessTokenFormat.DisplayPrefixLength)], reopened.Text, StringComparison.Ordinal);
        var tokenId = (await portal.Service<PersonalAccessTokenService>().ListMineAsync(me)).Single().Id;
        using var revoke = await browser.SubmitFormAsync(reopened, $"revoke-{tokenId}", new Dictionary<string, string>());
        var afterRevoke = await browser.FollowAsync(revoke);
        Assert.Contains("Token revoked.", afterRevoke.Text, StringComparison.Ordinal);

        using var refused = await client.GetAsync($"{ApiEndpoints.Prefix}/me");
        await AssertUnauthorizedAsync(refused, "revoked on the page");
    }

    [Fact]
    public async Task CreateTokenCommand_ThenCallApi_WorksAsTheAccount()
    {
        await using var portal = PortalWebApplicationFactory.ForSqlite();
        var user = await portal.CreateUserAsync("cli-token");

        var result = await PortalExecutable.RunAsync(portal.DataDirectory,
            "admin", "create-token", "--email", user.Email, "--name", "nightly", "--scopes", "read,write", "--expires-days", "30");

        Assert.True(result.ExitCode == 0, $"Exit code {result.ExitCode}: {result.StandardError}");
        var token = result.StandardOutput.Trim().Split('\n')[^1].Trim();
        Assert.True(PersonalAccessTokenFormat.IsWellFormed(token), result.StandardOutput);
        using var client = portal.CreateTokenClient(token);
        var me = await client.GetFromJsonAsync<ApiMe>($"{ApiEndpoints.Prefix}/me", JsonSerializerOptions.Web);
        Assert.Equal(user.Email, me!.UserName);
        Assert.Equal([TokenScopeNames.Read, TokenScopeNames.Write], me.Token!.Scopes);
        var audit = await portal.AuditAsync(projectId: null);
        Assert.Contains(audit, e => e.Action == AuditActions.AccessTokenCreated && e.ActorName == AuditLog.SystemActor);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: expected 401, got {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<PersonalAccessToken> StoredAsync(PortalWebApplicationFactory portal, Guid id) =>
        portal.QueryAsync(db => db.PersonalAccessTokens.AsNoTracking().SingleAsync(t => t.Id == id));

    private static async Task SetAsync(PortalWebApplicationFactory portal, Guid id, Action<PersonalAccessToken> change) =>
        await portal.ChangeDatabaseAsync(async db => change(await db.PersonalAccessTokens.SingleAsync(t => t.Id == id)));
}
