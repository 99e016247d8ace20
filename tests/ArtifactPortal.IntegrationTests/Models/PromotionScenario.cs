using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Models;

/// <summary>A project with a model of <see cref="VersionCount"/> versions and one API client per role.</summary>
public sealed class PromotionScenario : IAsyncDisposable
{
    public const string Model = "resnet";
    public const int VersionCount = 3;

    private PromotionScenario(PortalWebApplicationFactory portal, ProjectSummary project)
    {
        Portal = portal;
        Project = project;
    }

    public PortalWebApplicationFactory Portal { get; }

    public ProjectSummary Project { get; }

    public HttpClient Owner { get; private set; } = null!;

    public HttpClient Editor { get; private set; } = null!;

    public HttpClient SecondEditor { get; private set; } = null!;

    public HttpClient Maintainer { get; private set; } = null!;

    public HttpClient SecondMaintainer { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public TestUser EditorUser { get; private set; } = null!;

    public TestUser MaintainerUser { get; private set; } = null!;

    public string ProjectUrl => $"{ApiEndpoints.Prefix}/projects/{Project.Slug}";

    public static async Task<PromotionScenario> CreateAsync(
        PortalWebApplicationFactory portal, IReadOnlyDictionary<string, JsonElement>? metadata = null)
    {
        var owner = await portal.CreateUserAsync("promo-owner");
        var project = await portal.CreateProjectAsync(owner);
        var scenario = new PromotionScenario(portal, project)
        {
            Owner = await ClientAsync(portal, owner),
        };
        scenario.EditorUser = await scenario.MemberAsync("promo-editor", ProjectRole.Editor);
        scenario.Editor = await ClientAsync(portal, scenario.EditorUser);
        scenario.SecondEditor = await ClientAsync(portal, await scenario.MemberAsync("promo-editor2", ProjectRole.Editor));
        scenario.MaintainerUser = await scenario.MemberAsync("promo-maint", ProjectRole.Maintainer);
        scenario.Maintainer = await ClientAsync(portal, scenario.MaintainerUser);
        scenario.SecondMaintainer = await ClientAsync(portal, await scenario.MemberAsync("promo-maint2", ProjectRole.Maintainer));
        scenario.Viewer = await ClientAsync(portal, await scenario.MemberAsync("promo-viewer", ProjectRole.Viewer));

        await scenario.Owner.CreateArtifactAsync(project.Slug, Model, "Model");
        for (var i = 1; i <= VersionCount; i++)
        {
            await scenario.Owner.UploadVersionAsync(project.Slug, Model,
                new Dictionary<string, byte[]> { ["model.bin"] = ArtifactScenario.Text($"weights {i}") }, metadata);
        }

        return scenario;
    }

    public async Task<HttpResponseMessage> RequestAsync(HttpClient client, int version, string alias = "production") =>
        await client.PostAsJsonAsync($"{ProjectUrl}/models/{Model}/promotions", new ApiNewPromotion(alias, version, $"v{version} is better on the holdout set"));

    public async Task<ApiPromotionDetails> RequestOkAsync(HttpClient client, int version, string alias = "production")
    {
        using var response = await RequestAsync(client, version, alias);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiPromotionDetails>(ArtifactScenario.Json))!;
    }

    public Task<HttpResponseMessage> ReviewAsync(HttpClient client, int number, string decision = "approve") =>
        client.PostAsJsonAsync($"{ProjectUrl}/promotions/{number}/reviews", new ApiReview(decision, $"{decision}: looked at the evaluation"));

    public async Task<ApiPromotionDetails> GetAsync(int number) =>
        (await Owner.GetFromJsonAsync<ApiPromotionDetails>($"{ProjectUrl}/promotions/{number}", ArtifactScenario.Json))!;

    public async Task<int?> HolderAsync(string alias = "production")
    {
        using var response = await Owner.GetAsync($"{ProjectUrl}/models/{Model}/aliases/{alias}");
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : (await response.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json))!.Number;
    }

    public async Task<IReadOnlyList<ApiAliasChange>> HistoryAsync() =>
        (await Owner.GetFromJsonAsync<List<ApiAliasChange>>($"{ProjectUrl}/models/{Model}/alias-history", ArtifactScenario.Json))!;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in new[] { Owner, Editor, SecondEditor, Maintainer, SecondMaintainer, Viewer })
        {
            client?.Dispose();
        }

        await Task.CompletedTask;
    }

    private async Task<TestUser> MemberAsync(string who, ProjectRole role)
    {
        var user = await Portal.CreateUserAsync(who);
        await Portal.AddMemberAsync(Project.Slug, user.Principal, role);
        return user;
    }

    private static async Task<HttpClient> ClientAsync(PortalWebApplicationFactory portal, TestUser user) =>
        portal.CreateTokenClient((await portal.CreateTokenAsync(user, TokenScopes.Read | TokenScopes.Write)).Token);
}
