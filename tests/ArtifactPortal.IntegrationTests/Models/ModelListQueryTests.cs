using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Models;

/// <summary>
/// The models list and "my reviews" read everything in a fixed number of queries, and show what the per-model and
/// per-request calls they replace show.
/// </summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ModelListQueryTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task AliasStates_MoreModels_SameAsPerModelCallsWithoutMoreQueries(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var user = s.MaintainerUser.Principal;
        var promotions = s.Portal.Service<PromotionService>();
        var artifacts = s.Portal.Service<ArtifactService>();
        var request = await s.RequestOkAsync(s.Editor, 2);
        using (var approve = await s.ReviewAsync(s.Maintainer, request.Request.Number))
        {
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        }

        var first = await ModelIdsAsync();
        foreach (var name in new[] { "bert", "gpt", "vit" })
        {
            await s.Owner.CreateArtifactAsync(s.Project.Slug, name, "Model");
            await s.Owner.UploadVersionAsync(s.Project.Slug, name, new Dictionary<string, byte[]> { ["model.bin"] = ArtifactScenario.Text(name) });
        }

        using (var best = await s.Owner.PutAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(s.Project.Slug)}/gpt/aliases/best", new ApiSetAlias(1)))
        {
            Assert.Equal(HttpStatusCode.OK, best.StatusCode);
        }

        // Both counts on the same data: one model, then all four.
        var ids = await ModelIdsAsync();
        var (_, oneModel) = await DatabaseCommands.CountAsync(() => promotions.AliasStatesAsync(user, s.Project.Slug, first));
        var (states, fourModels) = await DatabaseCommands.CountAsync(() => promotions.AliasStatesAsync(user, s.Project.Slug, ids));

        Assert.Equal(4, states.Count);
        Assert.Equal(oneModel, fourModels);
        var models = await artifacts.ListAsync(user, s.Project.Slug, new ArtifactQuery(Type: ArtifactType.Model));
        foreach (var model in models.Items)
        {
            var details = await artifacts.GetAsync(user, s.Project.Slug, model.Name);
            var history = await promotions.AliasHistoryAsync(user, s.Project.Slug, model.Name);
            Assert.Equal(details.Aliases.OrderBy(a => a.Key), states[model.Id].Aliases.OrderBy(a => a.Key));
            Assert.Equal(history.Count > 0 ? history[0] : null, states[model.Id].LastChange);
        }

        Assert.Equal(2, states[models.Items.Single(m => m.Name == PromotionScenario.Model).Id].Aliases["production"]);
        Assert.NotNull(states[models.Items.Single(m => m.Name == PromotionScenario.Model).Id].LastChange);
        Assert.Equal(1, states[models.Items.Single(m => m.Name == "gpt").Id].Aliases["best"]);

        async Task<IReadOnlyCollection<Guid>> ModelIdsAsync() =>
            [.. (await artifacts.ListAsync(user, s.Project.Slug, new ArtifactQuery(Type: ArtifactType.Model))).Items.Select(m => m.Id)];
    }

    [Theory, DatabaseProviders]
    public async Task ListAwaitingReview_MoreOpenRequests_SameAsEachRequestsReviewPermissionWithoutMoreQueries(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var promotions = s.Portal.Service<PromotionService>();
        var namedReviewer = await s.Portal.CreateUserAsync("promo-named");
        await s.Portal.AddMemberAsync(s.Project.Slug, namedReviewer.Principal, ProjectRole.Viewer);
        await s.Portal.Service<ProtectedAliasService>().SetAsync(s.MaintainerUser.Principal, s.Project.Slug,
            new ProtectedAliasInput("staging", 1, ProjectRole.Maintainer, [namedReviewer.Email], null, null));
        var people = new[] { s.MaintainerUser, s.EditorUser, namedReviewer };

        await s.RequestOkAsync(s.Editor, 1);
        var (_, oneRequest) = await DatabaseCommands.CountAsync(() => promotions.ListAwaitingReviewAsync(s.MaintainerUser.Principal));
        await s.RequestOkAsync(s.Editor, 2);
        await s.RequestOkAsync(s.SecondEditor, 3);
        await s.RequestOkAsync(s.Editor, 3, "staging");
        var (_, fourRequests) = await DatabaseCommands.CountAsync(() => promotions.ListAwaitingReviewAsync(s.MaintainerUser.Principal));

        Assert.Equal(oneRequest, fourRequests);
        var open = await promotions.ListAsync(s.MaintainerUser.Principal, s.Project.Slug, PromotionStatus.Open);
        Assert.Equal(4, open.Items.Count);
        var seen = new Dictionary<TestUser, int>();
        foreach (var person in people)
        {
            var awaiting = (await promotions.ListAwaitingReviewAsync(person.Principal))
                .Where(r => r.ProjectSlug == s.Project.Slug).Select(r => r.Number).Order().ToList();
            var mayReview = new List<int>();
            foreach (var request in open.Items)
            {
                if ((await promotions.GetAsync(person.Principal, s.Project.Slug, request.Number)).Permissions.CanReview)
                {
                    mayReview.Add(request.Number);
                }
            }

            Assert.Equal(mayReview.Order(), awaiting);
            seen[person] = awaiting.Count;
        }

        // Production requests go to Maintainers, the staging one to its named reviewer; the requester sees none.
        Assert.Equal(3, seen[s.MaintainerUser]);
        Assert.Equal(0, seen[s.EditorUser]);
        Assert.Equal(1, seen[namedReviewer]);
    }
}
