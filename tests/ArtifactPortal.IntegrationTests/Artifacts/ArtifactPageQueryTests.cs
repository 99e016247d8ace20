using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Components.Layout;
using Xunit.Abstractions;

namespace ArtifactPortal.IntegrationTests.Artifacts;

/// <summary>
/// The server render of the artifact pages (what a plain GET and the first paint cost) reads the database a fixed, small
/// number of times: every page under /p/{slug} used to re-check access and re-load the artifact once per component.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ArtifactPageQueryTests(PortalFixture fixture, ITestOutputHelper output)
{
    [Theory, DatabaseProviders]
    public async Task VersionPage_ServerRender_AtMostSixQueries(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/artifacts/query-model/v2");

        Assert.Contains("query-model", page.Document.QuerySelector("[data-testid=version-title]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("v2", page.Document.QuerySelector("[data-testid=version-title]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("model.bin", page.Document.QuerySelector("[data-testid=version-files]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Second version", page.Document.QuerySelector("[data-testid=file-preview]")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=request-promotion]"));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=share-version]"));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=compare-previous]"));
        Assert.Equal(["latest"], page.Document.QuerySelectorAll("[data-testid=version-alias]").Select(a => a.TextContent.Trim()));
        // Access, version with its aliases, files, names, thumbnails and jobs (the theme is the browser's copy); it was 19.
        Assert.True(commands.Count <= 6, Describe(commands));
        Assert.DoesNotContain(commands, c => c.Contains("PrefersDarkMode", StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task VersionPage_ServerRenders_KeptHeaderFollowsTheRoleAndTheAliases(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var portal = await fixture.SharedPortalAsync(provider);
        var viewer = await portal.CreateUserAsync("query-viewer");
        await portal.AddMemberAsync(s.Slug, viewer.Principal, ProjectRole.Viewer);
        var viewerBrowser = portal.CreateBrowser();
        await viewerBrowser.LogInSuccessfullyAsync(viewer.Email);
        var url = $"/p/{s.Slug}/artifacts/query-model/v2";

        var owners = await s.Browser.OpenAsync(url);
        var viewers = await viewerBrowser.OpenAsync(url);
        var moved = await portal.Service<ArtifactService>().SetAliasAsync(s.Owner.Principal, s.Slug, "query-model", "best", 2);
        Assert.True(moved.Succeeded, moved.ErrorMessage);
        var ownersAfter = await s.Browser.OpenAsync(url);

        Assert.NotNull(owners.Document.QuerySelector("[data-testid=share-version]"));
        Assert.NotNull(owners.Document.QuerySelector("[data-testid=request-promotion]"));
        // The same version's header, kept for the owner's role a moment before, is not the viewer's.
        Assert.Null(viewers.Document.QuerySelector("[data-testid=share-version]"));
        Assert.Null(viewers.Document.QuerySelector("[data-testid=request-promotion]"));
        Assert.NotNull(viewers.Document.QuerySelector("[data-testid=download-zip]"));
        Assert.Equal(["latest"], owners.Document.QuerySelectorAll("[data-testid=version-alias]").Select(a => a.TextContent.Trim()));
        Assert.Equal(["best", "latest"], ownersAfter.Document.QuerySelectorAll("[data-testid=version-alias]").Select(a => a.TextContent.Trim()).Order());
    }

    [Theory, DatabaseProviders]
    public async Task VersionPage_FirstServerRender_LeavesTheBrowserItsThemeCopy(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var url = $"/p/{s.Slug}/artifacts/query-model/v2";

        var (first, firstCommands) = await DatabaseCommands.RecordAsync(() => s.Browser.Client.GetAsync(url));
        var (second, secondCommands) = await DatabaseCommands.RecordAsync(() => s.Browser.Client.GetAsync(url));

        using (first)
        using (second)
        {
            Assert.Contains(firstCommands, c => c.Contains("PrefersDarkMode", StringComparison.Ordinal));
            Assert.Contains($"{MainLayout.ThemeCookie}={s.Owner.Id}:light", Uri.UnescapeDataString(string.Join("\n", first.Headers.GetValues("Set-Cookie"))), StringComparison.Ordinal);
            Assert.DoesNotContain(secondCommands, c => c.Contains("PrefersDarkMode", StringComparison.Ordinal));
            Assert.Contains("--mud-native-html-color-scheme: light;", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory, DatabaseProviders]
    public async Task VersionPage_WithTheBrowsersThemeCopy_DrawsItWithoutAskingTheDatabase(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var url = $"/p/{s.Slug}/artifacts/query-model/v2";
        // Warm, with a copy, so that the browser's cookie jar holds none of its own.
        await RenderWithThemeCookieAsync(s, url, $"{s.Owner.Id}:light");

        // The copy the circuit writes for this person, and one a former user of the browser left behind.
        var (own, ownCommands) = await RenderWithThemeCookieAsync(s, url, $"{s.Owner.Id}:dark");
        var (other, otherCommands) = await RenderWithThemeCookieAsync(s, url, "someone-else:dark");

        Assert.Contains("--mud-native-html-color-scheme: dark;", own, StringComparison.Ordinal);
        Assert.Contains("query-model", own, StringComparison.Ordinal);
        Assert.DoesNotContain(ownCommands, c => c.Contains("PrefersDarkMode", StringComparison.Ordinal));
        Assert.True(ownCommands.Count is > 0 and <= 7, Describe(ownCommands));
        Assert.Contains("--mud-native-html-color-scheme: light;", other, StringComparison.Ordinal);
        Assert.Contains(otherCommands, c => c.Contains("PrefersDarkMode", StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task VersionPage_AliasOrMissingVersion_RedirectsOrNotFoundInTheServerRender(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        using var latest = await s.Browser.Client.GetAsync($"/p/{s.Slug}/artifacts/query-model/latest");
        using var missing = await s.Browser.Client.GetAsync($"/p/{s.Slug}/artifacts/query-model/v9");

        Assert.Equal(HttpStatusCode.Redirect, latest.StatusCode);
        Assert.EndsWith($"/p/{s.Slug}/artifacts/query-model/v2", latest.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task ArtifactPage_ServerRender_AtMostTenQueries(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/artifacts/query-model");

        Assert.Equal("query-model", page.Document.QuerySelector("[data-testid=artifact-name]")?.TextContent.Trim());
        Assert.Contains("v2", page.Text, StringComparison.Ordinal);
        // Access, artifact, tags, aliases, creator, cover and versions (artifact, rows, aliases, names); it was 15.
        Assert.True(commands.Count <= 10, Describe(commands));
    }

    [Theory, DatabaseProviders]
    public async Task ArtifactListPage_ServerRender_AtMostFourQueries(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/artifacts");

        // The rows load in the circuit (the grid's server data); the server render shows the counts and the storage use.
        Assert.Equal("1 artifact · 2 versions", page.Document.QuerySelector("[data-testid=artifact-counts]")?.TextContent.Trim());
        // Access, used bytes, quota and counts; it was 7 (SQLite) and 8 (PostgreSQL).
        Assert.True(commands.Count <= 4, Describe(commands));
    }

    [Theory, DatabaseProviders]
    public async Task RunListPage_ServerRender_LooksTheProjectUpOnce(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/runs");

        Assert.Equal("1 run in 1 experiment", page.Document.QuerySelector("[data-testid=run-counts]")?.TextContent.Trim());
        // The experiments and the column keys load with the access the shell looked up (each used to look the project up again).
        Assert.Single(commands, c => c.Contains("\"Slug\" = @", StringComparison.Ordinal));
        // Access, experiments, param keys and metric keys; the rows load in the circuit.
        Assert.True(commands.Count <= 4, Describe(commands));
    }

    [Theory, DatabaseProviders]
    public async Task MembersPage_ServerRender_LooksTheProjectUpOnce(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/members");

        Assert.Contains(s.Owner.Email, page.Document.QuerySelector("[data-testid=members-table]")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=invite]"));
        // The members, access requests and invitations load with the access the shell looked up (each used to look the
        // project up again: four lookups per render).
        Assert.Single(commands, c => c.Contains("\"Slug\" = @", StringComparison.Ordinal));
        // Access, members, teams, member names, requests and invitations.
        Assert.True(commands.Count <= 6, Describe(commands));
    }

    [Theory, DatabaseProviders]
    public async Task ModelListPage_ServerRender_LooksTheProjectUpOnce(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/models");

        Assert.Equal("query-model", page.Document.QuerySelector("[data-testid=model-link]")?.TextContent.Trim());
        // The protected aliases, the models, the open requests and the alias holders load with the access the shell looked
        // up (each used to look the project up again: five lookups per render).
        Assert.Single(commands, c => c.Contains("\"Slug\" = @", StringComparison.Ordinal));
        // Access; policies and their teams; models; open requests (rows, versions, project, approvals, policies); alias
        // holders (ids, aliases, last changes).
        Assert.True(commands.Count <= 12, Describe(commands));
    }

    [Theory, DatabaseProviders]
    public async Task ModelPage_ServerRender_LooksTheProjectUpOnce(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);

        var (page, commands) = await CountAsync(s, $"/p/{s.Slug}/models/query-model");

        Assert.Equal("query-model", page.Document.QuerySelector("[data-testid=model-name]")?.TextContent.Trim());
        Assert.Contains("No protected alias has moved yet.", page.Text, StringComparison.Ordinal);
        // The model, the protected aliases and the alias history load with the access the shell looked up (each used to
        // look the project up again: four lookups per render).
        Assert.Single(commands, c => c.Contains("\"Slug\" = @", StringComparison.Ordinal));
        // Access; the model (row, tags, aliases, creator); policies and their teams; the history of the model read (changes).
        Assert.True(commands.Count <= 8, Describe(commands));
    }

    /// <summary>Pages whose content loads with the shell's access; each used to look the project up again per list (2 to 4 lookups).</summary>
    public static TheoryData<DatabaseProvider, string> ProjectPages()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var page in new[] { "compare", "promotions", "protected-aliases", "webhooks", "webhook-deliveries", "share-links" })
            {
                data.Add(provider, page);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(ProjectPages))]
    public async Task ProjectPage_ServerRender_LooksTheProjectUpOnce(DatabaseProvider provider, string pageName)
    {
        var s = await ScenarioAsync(provider);
        var portal = await fixture.SharedPortalAsync(provider);
        var webhook = await portal.Service<WebhookService>().CreateAsync(s.Owner.Principal, s.Slug, "https://hooks.example.com/portal");
        await portal.Service<ProtectedAliasService>().SetAsync(
            s.Owner.Principal, s.Slug, new ProtectedAliasInput("staging", 1, ProjectRole.Maintainer, null, null, null));
        var shared = await portal.Service<ShareLinkService>().CreateAsync(s.Owner.Principal, s.Slug, "query-model", 2, new NewShareLink(TimeSpan.FromDays(1), false));
        Assert.True(shared.Succeeded, shared.ErrorMessage);
        // The address, an element the content fills, the text it must hold, and the queries of one render at most.
        var (url, selector, expected, maxQueries) = pageName switch
        {
            // Access; the versions (rows, aliases, names); each side (artifact and version, files, names).
            "compare" => ($"/p/{s.Slug}/artifacts/query-model/compare", "[data-testid=compare-files]", "model.bin", 11),
            // Access; the requests (rows, versions, project, approvals, policies).
            "promotions" => ($"/p/{s.Slug}/promotions", "[data-testid=promotion-table]", "No promotion requests match.", 6),
            // Access; the policies (every project has "production") and their teams.
            "protected-aliases" => ($"/p/{s.Slug}/settings/protected-aliases", "[data-testid=protected-alias-name]", "staging", 3),
            // Access; the webhooks and their last deliveries.
            "webhooks" => ($"/p/{s.Slug}/settings/webhooks", "[data-testid=webhook-url]", "hooks.example.com", 3),
            // Access; the webhook and its last delivery; the webhook again and its deliveries.
            "webhook-deliveries" => ($"/p/{s.Slug}/settings/webhooks/{webhook.Webhook.Id}", "[data-testid=deliveries-url]", "hooks.example.com", 5),
            // Access; the links with their versions; the creators' names.
            "share-links" => ($"/p/{s.Slug}/share-links", "[data-testid=share-link-version]", "query-model", 3),
            _ => throw new ArgumentOutOfRangeException(nameof(pageName), pageName, null),
        };

        var (page, commands) = await CountAsync(s, url);

        Assert.Contains(expected, string.Join(" | ", page.Document.QuerySelectorAll(selector).Select(e => e.TextContent)), StringComparison.Ordinal);
        Assert.Single(commands, c => c.Contains("\"Slug\" = @", StringComparison.Ordinal));
        Assert.True(commands.Count <= maxQueries, Describe(commands));
    }

    private sealed record Scenario(PortalBrowser Browser, string Slug, TestUser Owner);

    private async Task<Scenario> ScenarioAsync(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("query-owner");
        var project = await portal.CreateProjectAsync(owner);
        using (var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token))
        {
            await client.CreateArtifactAsync(project.Slug, "query-model", "Model");
            foreach (var text in new[] { "First version", "Second version" })
            {
                await client.UploadVersionAsync(project.Slug, "query-model", new Dictionary<string, byte[]>
                {
                    ["model.bin"] = ArtifactScenario.Text($"weights: {text}"),
                    ["README.md"] = ArtifactScenario.Text($"# {text}"),
                });
            }

            await client.CreateRunAsync(project.Slug, new { experiment = "baseline", @params = new { lr = 0.01 } });
        }

        // The count follows the test's async flow into the in-memory server only through a client made to keep it.
        var preserved = portal.Server.PreserveExecutionContext;
        portal.Server.PreserveExecutionContext = true;
        var browser = portal.CreateBrowser();
        portal.Server.PreserveExecutionContext = preserved;
        await browser.LogInSuccessfullyAsync(owner.Email);
        return new Scenario(browser, project.Slug, owner);
    }

    /// <summary>
    /// The page's second server render (the first one pays one-time work such as the login's session checks, and leaves the
    /// browser its copy of the theme) and its SQL.
    /// </summary>
    private async Task<(PortalPage Page, IReadOnlyList<string> Commands)> CountAsync(Scenario s, string url)
    {
        await s.Browser.OpenAsync(url);
        var (page, commands) = await DatabaseCommands.RecordAsync(() => s.Browser.OpenAsync(url));
        output.WriteLine($"{url}: {commands.Count} queries");
        output.WriteLine(Describe(commands));
        // Every page looks the project up by its slug: without that the count did not follow the request, and a low count would mean nothing.
        Assert.True(commands.Any(c => c.Contains("\"Slug\" = @", StringComparison.Ordinal)), "The count missed the render's queries. " + Describe(commands));
        return (page, commands);
    }

    private static async Task<(string Html, IReadOnlyList<string> Commands)> RenderWithThemeCookieAsync(Scenario s, string url, string theme) =>
        await DatabaseCommands.RecordAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Cookie", $"{MainLayout.ThemeCookie}={theme}");
            using var response = await s.Browser.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        });

    private static string Describe(IReadOnlyList<string> commands) =>
        $"{commands.Count} queries:\n" + string.Join("\n\n", commands.Select((c, i) => $"#{i + 1}: {c}"));
}
