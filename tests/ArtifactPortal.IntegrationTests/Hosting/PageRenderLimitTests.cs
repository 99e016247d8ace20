using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Hosting;

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

        var pages = await AllAtOnceAsync(browser, "/Account/Login");
        var calls = await AllAtOnceAsync(api, $"/api/v1/projects/{project.Slug}/artifacts");

        var busy = pages.Where(p => p.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(pages, p => Assert.Contains(p.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(busy, p => Assert.Equal(TimeSpan.FromSeconds(PageRenderLimit.RetryAfterSeconds), p.RetryAfter));
        Assert.All(busy, p => Assert.Equal($"The portal is busy. Try again in {PageRenderLimit.RetryAfterSeconds} seconds.", p.Body));
        Assert.All(calls, c => Assert.Equal(HttpStatusCode.OK, c.Status));
        // Nothing stays taken: one page at a time is served.
        Assert.Equal(HttpStatusCode.OK, (await AllAtOnceAsync(browser, "/Account/Login", count: 1)).Single().Status);
    }

    private sealed record Answer(HttpStatusCode Status, TimeSpan? RetryAfter, string Body);

    private static async Task<IReadOnlyList<Answer>> AllAtOnceAsync(HttpClient client, string url, int count = Requests) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await client.GetAsync(url);
            return new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
        }));
}
