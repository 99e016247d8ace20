using System.Net.Http.Headers;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Personal access tokens made through the real service, and callers that send them.</summary>
public static class AccessTokens
{
    public static async Task<CreatedPersonalAccessToken> CreateTokenAsync(
        this PortalWebApplicationFactory portal, TestUser owner, TokenScopes scopes, params Guid[] projectIds)
    {
        var created = await portal.Service<PersonalAccessTokenService>().CreateAsync(
            owner.Principal, new NewPersonalAccessToken($"test {Guid.NewGuid():N}"[..13], scopes, 30, projectIds));
        Assert.True(created.Succeeded, created.ErrorMessage);
        return created.Value!;
    }

    /// <summary>A client without cookies that sends <paramref name="token"/> as a bearer token and does not follow redirects.</summary>
    public static HttpClient CreateTokenClient(this PortalWebApplicationFactory portal, string token)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The principal the portal's token handler builds for <paramref name="token"/>, as API endpoints receive it.</summary>
    public static async Task<ClaimsPrincipal> TokenPrincipalAsync(this PortalWebApplicationFactory portal, string token)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {token}";
        var result = await context.AuthenticateAsync(PortalAuthenticationSchemes.PersonalAccessToken);
        Assert.True(result.Succeeded, result.Failure?.Message ?? "The token did not authenticate.");
        return result.Principal;
    }
}
