using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Tests.Accounts;

public class PersonalAccessTokenLimitsTests
{
    private static readonly Guid ProjectId = Guid.NewGuid();

    [Fact]
    public void For_CookiePrincipal_IsNull()
    {
        var cookie = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u1")], "Identity.Application"));

        Assert.Null(PersonalAccessTokenLimits.For(cookie));
        Assert.False(cookie.IsPersonalAccessToken());
    }

    [Fact]
    public void For_TokenPrincipal_ReadsScopesAndProjects()
    {
        var tokenId = Guid.NewGuid();
        var principal = TokenPrincipal(TokenScopes.Read, tokenId, ProjectId);

        var limits = PersonalAccessTokenLimits.For(principal);

        Assert.NotNull(limits);
        Assert.True(principal.IsPersonalAccessToken());
        Assert.Equal(tokenId, limits.TokenId);
        Assert.Equal(TokenScopes.Read, limits.Scopes);
        Assert.Equal([ProjectId], limits.ProjectIds);
        Assert.True(limits.AllowsProject(ProjectId));
        Assert.False(limits.AllowsProject(Guid.NewGuid()));
    }

    [Fact]
    public void For_UnrestrictedToken_AllowsEveryProject() =>
        Assert.True(PersonalAccessTokenLimits.For(TokenPrincipal(TokenScopes.Read, Guid.NewGuid()))!.AllowsProject(Guid.NewGuid()));

    [Fact]
    public void For_TokenWithUnknownScopeClaim_AllowsNothing()
    {
        var identity = new ClaimsIdentity([new Claim(PortalClaimTypes.TokenId, Guid.NewGuid().ToString()), new Claim(PortalClaimTypes.TokenScope, "admin")], "PersonalAccessToken");

        var limits = PersonalAccessTokenLimits.For(new ClaimsPrincipal(identity))!;

        Assert.All(Enum.GetValues<ProjectOperation>(), operation => Assert.False(limits.Allows(operation)));
    }

    [Fact]
    public void Can_ReadOnlyTokenOfMaintainer_AllowsOnlyReadOperations()
    {
        var access = Access(ProjectRole.Maintainer, TokenScopes.Read);

        Assert.True(access.Can(ProjectOperation.View));
        Assert.True(access.Can(ProjectOperation.ViewAuditLog));
        Assert.False(access.Can(ProjectOperation.EditSettings));
        Assert.False(access.Can(ProjectOperation.UploadArtifacts));
        Assert.All(Enum.GetValues<ProjectOperation>().Where(o => !ProjectPermissions.IsReadOperation(o)),
            operation => Assert.False(access.Can(operation), $"{operation} with a read-only token"));
    }

    [Fact]
    public void Can_ReadOnlyTokenOfSiteAdministrator_StillCannotWrite()
    {
        var access = Access(null, TokenScopes.Read) with { IsSiteAdministrator = true };

        Assert.True(access.Can(ProjectOperation.View));
        Assert.False(access.Can(ProjectOperation.Delete));
    }

    [Theory]
    [InlineData(ProjectRole.Viewer)]
    [InlineData(ProjectRole.Editor)]
    [InlineData(ProjectRole.Maintainer)]
    [InlineData(ProjectRole.Owner)]
    public void Can_WriteToken_AllowsExactlyWhatTheRoleAllows(ProjectRole role)
    {
        var withToken = Access(role, TokenScopes.Write);
        var withCookie = Access(role, scopes: null);

        Assert.All(Enum.GetValues<ProjectOperation>(), operation => Assert.Equal(withCookie.Can(operation), withToken.Can(operation)));
    }

    private static ProjectAccess Access(ProjectRole? role, TokenScopes? scopes) =>
        new(ProjectId, "p", "P", ProjectVisibility.Private, IsArchived: false, role, IsSiteAdministrator: false,
            scopes is { } s ? new PersonalAccessTokenLimits(Guid.NewGuid(), "t", s, null) : null);

    private static ClaimsPrincipal TokenPrincipal(TokenScopes scopes, Guid tokenId, params Guid[] projects) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "u1"), .. PersonalAccessTokenLimits.Claims(tokenId, "ci", scopes, projects)],
            "PersonalAccessToken"));
}
