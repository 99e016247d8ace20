using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Components;
using ArtifactPortal.Web.Hosting;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.IntegrationTests.Hosting;

/// <summary>
/// Page renders beyond <c>Pages:MaxConcurrentRenders</c> wait in line, and beyond the queue are turned away with 503 and
/// Retry-After; the API is never limited by them.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class PageRenderLimitTests
{
    private const int Requests = 30;

    [Fact]
    public async Task PagesBeyondTheLimit_WaitInLine_AndAllAreServed()
    {
        await using var portal = PortalWebApplicationFactory.ForSqlite();
        portal.Settings["Pages:MaxConcurrentRenders"] = "1";
        portal.Settings["Pages:QueueLimit"] = "100";
        using var client = portal.CreateClient();

        var statuses = await AllAtOnceAsync(client, "/Account/Login");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s.Status));
    }

    [Fact]
    public async Task PagesBeyondTheQueue_AreTurnedAwayWithRetryAfter_WhileTheApiAnswers()
    {
        await using var portal = PortalWebApplicationFactory.ForSqlite();
        portal.Settings["Pages:MaxConcurrentRenders"] = "1";
        portal.Settings["Pages:QueueLimit"] = "0";
        var owner = await portal.CreateUserAsync("limit-owner");
        var project = await portal.CreateProjectAsync(owner);
        using var api = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read)).Token);
        using var browser = portal.CreateClient();
        var limiter = portal.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;

        // The one render slot taken, as by a slow render, for as long as the test holds it: a page render takes a millisecond,
        // too short for requests sent at once to be sure to meet one.
        IReadOnlyList<Answer> pages, calls;
        using (var slowRender = await limiter.AcquireAsync(PageRequest()))
        {
            Assert.True(slowRender.IsAcquired);
            pages = await AllAtOnceAsync(browser, "/Account/Login");
            calls = await AllAtOnceAsync(api, $"/api/v1/projects/{project.Slug}/artifacts");
        }

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.ServiceUnavailable, p.Status));
        Assert.All(pages, p => Assert.Equal(TimeSpan.FromSeconds(PageRenderLimit.RetryAfterSeconds), p.RetryAfter));
        Assert.All(pages, p => Assert.Equal($"The portal is busy. Try again in {PageRenderLimit.RetryAfterSeconds} seconds.", p.Body));
        Assert.All(calls, c => Assert.Equal(HttpStatusCode.OK, c.Status));
        // Nothing stays taken: with the slot free again, a page is served.
        Assert.Equal(HttpStatusCode.OK, (await AllAtOnceAsync(browser, "/Account/Login", count: 1)).Single().Status);
    }

    /// <summary>What the limiter sees of a request for a page: an endpoint with a component.</summary>
    private static DefaultHttpContext PageRequest()
    {
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new ComponentTypeMetadata(typeof(App))), "a page"));
        return context;
    }

    private sealed record Answer(HttpStatusCode Status, TimeSpan? RetryAfter, string Body);

    private static async Task<IReadOnlyList<Answer>> AllAtOnceAsync(HttpClient client, string url, int count = Requests) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await client.GetAsync(url);
            return new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
        }));
}
