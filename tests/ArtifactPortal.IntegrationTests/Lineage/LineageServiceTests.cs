using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Lineage;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Lineage;

[Collection(PortalCollectionDefinition.Name)]
public sealed class LineageServiceTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task GetGraph_Depth_StopsAtTheRequestedLevelInEachDirection(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-depth");
        var seed = new LineageSeed(owner.Id);
        var data = seed.Version(project.Id, "cifar10");
        var train = seed.Run(project.Id, "train", data);
        var model = seed.Version(project.Id, "resnet", ArtifactType.Model, producedBy: train, "production");
        var evaluate = seed.Run(project.Id, "eval", model);
        seed.Version(project.Id, "resnet-eval", ArtifactType.Evaluation, producedBy: evaluate);
        await seed.SaveAsync(portal);
        var node = $"{project.Slug}/resnet:v1";

        var one = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery(node, LineageDirection.Both, 1));
        var two = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery(node, LineageDirection.Both, 2));
        var all = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery(node, LineageDirection.Both, null));
        var up = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery(node, LineageDirection.Up, null));

        Assert.Equal(["resnet", "train-1", "eval-2"], Labels(one));
        Assert.Equal(["cifar10", "resnet", "resnet-eval", "train-1", "eval-2"], Labels(two));
        Assert.Equal(Labels(two), Labels(all));
        Assert.Equal(["cifar10", "resnet", "train-1"], Labels(up));
        Assert.Equal(
            new Dictionary<string, int> { ["cifar10"] = -2, ["train-1"] = -1, ["resnet"] = 0, ["eval-2"] = 1, ["resnet-eval"] = 2 },
            all.Nodes.ToDictionary(n => n.Label!, n => n.Depth));
        var focus = Assert.Single(all.Nodes, n => n.IsFocus);
        Assert.Equal((LineageNodeKind.Model, 1, $"/p/{project.Slug}/artifacts/resnet/v1"), (focus.Kind, focus.Version!.Value, focus.Url));
        Assert.Contains("production", focus.Aliases);
        Assert.Equal(
            ["cifar10 consumed train-1", "eval-2 produced resnet-eval", "resnet consumed eval-2", "train-1 produced resnet"],
            Edges(all));
        Assert.False(all.Truncated);
    }

    [Theory, DatabaseProviders]
    public async Task GetGraph_CycleOfDerivations_EndsWithEachVersionOnce(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-cycle");
        var seed = new LineageSeed(owner.Id);
        var a = seed.Version(project.Id, "a");
        var b = seed.Version(project.Id, "b");
        var c = seed.Version(project.Id, "c");
        // The API refuses cycles; data written by other means may still hold one.
        seed.Derive(b, a);
        seed.Derive(c, b);
        seed.Derive(a, c);
        await seed.SaveAsync(portal);

        var all = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery($"{project.Slug}/a:v1", LineageDirection.Both, null));
        var deep = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery($"{project.Slug}/a:v1", LineageDirection.Down, 50));

        Assert.Equal(["a", "b", "c"], Labels(all).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c"], Labels(deep).Order(StringComparer.Ordinal));
        // A node reached both ways keeps its upstream place: a came from c, which came from b.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 0, ["b"] = -2, ["c"] = -1 }, all.Nodes.ToDictionary(n => n.Label!, n => n.Depth));
        Assert.Equal(["a derivedFrom b", "b derivedFrom c", "c derivedFrom a"], Edges(deep));
    }

    [Theory, DatabaseProviders]
    public async Task GetGraph_AllLevelsBeyondTheNodeLimit_KeepsTheNearestAndSaysTruncated(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-limit");
        var seed = new LineageSeed(owner.Id);
        // A chain d0 → d1 → … → d6, each derived from the one before.
        var chain = Enumerable.Range(0, 7).Select(i => seed.Version(project.Id, $"d{i}")).ToList();
        foreach (var (source, derived) in chain.Zip(chain.Skip(1)))
        {
            seed.Derive(derived, source);
        }

        await seed.SaveAsync(portal);

        var limited = await Service(portal).GetGraphAsync(
            owner.Principal, new LineageQuery($"{project.Slug}/d0:v1", LineageDirection.Down, null, NodeLimit: 3));
        var whole = await Service(portal).GetGraphAsync(
            owner.Principal, new LineageQuery($"{project.Slug}/d3:v1", LineageDirection.Both, null, NodeLimit: 3));

        Assert.True(limited.Truncated);
        Assert.Equal(
            new Dictionary<string, int> { ["d0"] = 0, ["d1"] = 1, ["d2"] = 2, ["d3"] = 3 },
            limited.Nodes.ToDictionary(n => n.Label!, n => n.Depth));
        Assert.False(whole.Truncated);
        Assert.Equal(
            new Dictionary<string, int> { ["d0"] = -3, ["d1"] = -2, ["d2"] = -1, ["d3"] = 0, ["d4"] = 1, ["d5"] = 2, ["d6"] = 3 },
            whole.Nodes.ToDictionary(n => n.Label!, n => n.Depth));
    }

    [Theory, DatabaseProviders]
    public async Task GetGraph_NodesInOtherProjects_VisibleOnesNamedHiddenOnesRestricted(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-cross");
        var stranger = await portal.CreateUserAsync("lineage-stranger");
        var shared = await portal.CreateProjectAsync(stranger, ProjectVisibility.Internal);
        var secret = await portal.CreateProjectAsync(stranger, ProjectVisibility.Private);
        var seed = new LineageSeed(owner.Id);
        var open = seed.Version(shared.Id, "imagenet");
        var hidden = seed.Version(secret.Id, "secret-faces");
        var train = seed.Run(project.Id, "train", open, hidden);
        seed.Version(project.Id, "detector", ArtifactType.Model, producedBy: train);
        seed.Run(secret.Id, "secret-reuse", hidden);
        await seed.SaveAsync(portal);
        var query = new LineageQuery($"{project.Slug}/detector:v1", LineageDirection.Up, null);

        var graph = await Service(portal).GetGraphAsync(owner.Principal, query);
        var insider = await Service(portal).GetGraphAsync(stranger.Principal, query with { Node = $"{shared.Slug}/imagenet:v1", Direction = LineageDirection.Down });

        var imagenet = Assert.Single(graph.Nodes, n => n.Label == "imagenet");
        Assert.Equal((shared.Slug, $"{shared.Slug}/imagenet:v1"), (imagenet.Project, imagenet.Reference));
        var restricted = Assert.Single(graph.Nodes, n => n.Kind == LineageNodeKind.Restricted);
        Assert.Equal(("restricted-1", null, null, null, null, null), (restricted.Id, restricted.Label, restricted.Project, restricted.Url, restricted.Reference, restricted.Detail));
        Assert.Empty(restricted.Aliases);
        Assert.Contains(graph.Edges, e => e.Source == "restricted-1" && e.Kind == LineageEdgeKind.Consumed);
        Assert.DoesNotContain(graph.Nodes, n => n.Label == "secret-faces" || n.Project == secret.Slug);
        // The other way round, the stranger cannot see the private training project.
        Assert.Contains(insider.Nodes, n => n.Kind == LineageNodeKind.Restricted);
        Assert.Contains(insider.Nodes, n => n.Label == "imagenet" && n.IsFocus);
    }

    [Theory, DatabaseProviders]
    public async Task GetGraph_ManyRunsOfOneExperiment_CollapseIntoOneGroup(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-group");
        var seed = new LineageSeed(owner.Id);
        var data = seed.Version(project.Id, "mnist");
        for (var i = 0; i < 8; i++)
        {
            seed.Run(project.Id, "sweep", data);
        }

        seed.Run(project.Id, "baseline", data);
        await seed.SaveAsync(portal);

        var graph = await Service(portal).GetGraphAsync(owner.Principal, new LineageQuery($"{project.Slug}/mnist:v1", LineageDirection.Down, 1));

        var group = Assert.Single(graph.Groups);
        Assert.Equal(("+8 runs", 8), (group.Label, group.Count));
        Assert.Equal(8, graph.Nodes.Count(n => n.Group == group.Id));
        Assert.Null(Assert.Single(graph.Nodes, n => n.Label == "baseline-9").Group);
        Assert.Null(Assert.Single(graph.Nodes, n => n.IsFocus).Group);
    }

    [Theory, DatabaseProviders]
    public async Task GetImpact_DatasetVersion_ListsDownstreamModelsProductionFirst(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-impact");
        var seed = new LineageSeed(owner.Id);
        var raw = seed.Version(project.Id, "raw");
        var clean = seed.Version(project.Id, "clean");
        seed.Derive(clean, raw);
        var train = seed.Run(project.Id, "train", clean);
        seed.Version(project.Id, "small", ArtifactType.Model, producedBy: train);
        seed.Version(project.Id, "large", ArtifactType.Model, producedBy: train, "production", "latest");
        seed.Version(project.Id, "unrelated", ArtifactType.Model);
        await seed.SaveAsync(portal);

        var impact = await Service(portal).GetImpactAsync(owner.Principal, project.Slug, "raw", "v1");

        Assert.Equal([$"{project.Slug}/large:v1", $"{project.Slug}/small:v1"], impact.Models.Select(m => m.Reference));
        Assert.True(impact.AffectsProduction);
        Assert.Equal(["production", "latest"], impact.Models[0].Aliases);
    }

    [Theory, DatabaseProviders]
    public async Task DerivedFrom_AddRemoveAndRefusals_AnswerLikeAUserExpects(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-derive");
        var seed = new LineageSeed(owner.Id);
        seed.Version(project.Id, "raw");
        seed.Version(project.Id, "clean");
        await seed.SaveAsync(portal);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        var clean = $"{ApiEndpoints.Prefix}/projects/{project.Slug}/artifacts/clean/versions/v1/derived-from";
        var raw = $"{ApiEndpoints.Prefix}/projects/{project.Slug}/artifacts/raw/versions/v1/derived-from";

        using var added = await client.PostAsJsonAsync(clean, new ApiDerivedFrom($"{project.Slug}/raw:v1"));
        using var self = await client.PostAsJsonAsync(clean, new ApiDerivedFrom($"{project.Slug}/clean:v1"));
        using var cycle = await client.PostAsJsonAsync(raw, new ApiDerivedFrom($"{project.Slug}/clean:v1"));
        using var missing = await client.PostAsJsonAsync(raw, new ApiDerivedFrom($"{project.Slug}/nothing:v1"));
        var graph = await client.GetFromJsonAsync<ApiLineageGraph>($"{ApiEndpoints.Prefix}/lineage?node={project.Slug}/raw:v1&direction=down&depth=0");

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("itself", await self.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, cycle.StatusCode);
        Assert.Contains("cycle", await cycle.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var edge = Assert.Single(graph!.Edges);
        Assert.Equal("derivedFrom", edge.Kind);
        Assert.Equal(["clean", "raw"], graph.Nodes.Select(n => n.Label).Order(StringComparer.Ordinal));
        Assert.All(graph.Nodes, n => Assert.Equal("dataset", n.Kind));
        Assert.Contains(await portal.AuditAsync(project.Id), e => e.Action == "artifact.derivation_added" && e.Target == $"{project.Slug}/clean:v1");

        using var removed = await client.DeleteAsync($"{clean}?source={project.Slug}/raw:v1");
        using var again = await client.DeleteAsync($"{clean}?source={project.Slug}/raw:v1");
        var after = await Service(portal).ListDerivedFromAsync(owner.Principal, project.Slug, "clean", "v1");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(after);
    }

    [Theory, DatabaseProviders]
    public async Task LineageApi_RunNodeAndBadInput_AnswerGraphOrClearErrors(DatabaseProvider provider)
    {
        var (portal, owner, project) = await ProjectAsync(provider, "lineage-api");
        var seed = new LineageSeed(owner.Id);
        var data = seed.Version(project.Id, "cifar10");
        var train = seed.Run(project.Id, "train", data);
        seed.Version(project.Id, "resnet", ArtifactType.Model, producedBy: train);
        await seed.SaveAsync(portal);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read)).Token);

        var graph = await client.GetFromJsonAsync<ApiLineageGraph>($"{ApiEndpoints.Prefix}/lineage?node=run:{project.Slug}/1&depth=1");
        using var badDirection = await client.GetAsync($"{ApiEndpoints.Prefix}/lineage?node=run:{project.Slug}/1&direction=sideways");
        using var badNode = await client.GetAsync($"{ApiEndpoints.Prefix}/lineage?node=cifar10");
        using var noRun = await client.GetAsync($"{ApiEndpoints.Prefix}/lineage?node=run:{project.Slug}/99");

        var run = Assert.Single(graph!.Nodes, n => n.Focus);
        Assert.Equal(("run", $"run:{project.Slug}/1", $"/p/{project.Slug}/runs/1"), (run.Kind, run.Reference, run.Url));
        Assert.Equal(["cifar10", "resnet", "train-1"], graph.Nodes.Select(n => n.Label!).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badDirection.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badNode.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noRun.StatusCode);
    }

    private static List<string> Labels(LineageGraph graph) =>
        [.. graph.Nodes.OrderBy(n => n.Kind == LineageNodeKind.Run).ThenBy(n => n.Depth).ThenBy(n => n.Label, StringComparer.Ordinal).Select(n => n.Label!)];

    private static List<string> Edges(LineageGraph graph)
    {
        var labels = graph.Nodes.ToDictionary(n => n.Id, n => n.Label ?? n.Id);
        return [.. graph.Edges.Select(e => $"{labels[e.Source]} {Kind(e.Kind)} {labels[e.Target]}").Order(StringComparer.Ordinal)];

        static string Kind(LineageEdgeKind kind) => kind switch
        {
            LineageEdgeKind.Produced => "produced",
            LineageEdgeKind.Consumed => "consumed",
            _ => "derivedFrom",
        };
    }

    private async Task<(PortalWebApplicationFactory Portal, TestUser Owner, ProjectSummary Project)> ProjectAsync(DatabaseProvider provider, string who)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync(who);
        return (portal, owner, await portal.CreateProjectAsync(owner));
    }

    private static LineageService Service(PortalWebApplicationFactory portal) => portal.Service<LineageService>();
}
