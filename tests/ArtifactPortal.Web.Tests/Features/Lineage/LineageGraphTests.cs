using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Features.Lineage;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Lineage;

public sealed class LineageGraphTests : ArtifactPageTestBase
{
    [Fact]
    public async Task Render_ModelVersion_HandsItsDatasetRunAndLinksToTheScript()
    {
        await SeedAsync();
        SignIn(Owner);
        var module = Context.JSInterop.SetupModule(LineageGraph.ModulePath);
        module.SetupVoid("show", _ => true).SetVoidResult();

        var page = RenderPage<LineageGraph>(("Node", "vision/resnet:v1"));

        page.WaitForAssertion(() => module.VerifyInvoke("show"));
        var graph = Graph(module.Invocations["show"][0]);
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("label").GetString()!);
        Assert.Equal(["cifar10", "resnet", "train-1"], nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("dataset", nodes["cifar10"].GetProperty("kind").GetString());
        Assert.Equal("/p/vision/artifacts/cifar10/v1", nodes["cifar10"].GetProperty("url").GetString());
        Assert.Equal("run", nodes["train-1"].GetProperty("kind").GetString());
        Assert.Equal("/p/vision/runs/1", nodes["train-1"].GetProperty("url").GetString());
        Assert.True(nodes["resnet"].GetProperty("focus").GetBoolean());
        Assert.Equal(graph.GetProperty("focus").GetString(), nodes["resnet"].GetProperty("id").GetString());
        Assert.Equal(["production", "latest"], nodes["resnet"].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        var edges = graph.GetProperty("edges").EnumerateArray()
            .Select(e => (From: Label(e, "source"), To: Label(e, "target"), Kind: e.GetProperty("kind").GetString()))
            .OrderBy(e => e.From, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("cifar10", "train-1", "consumed"), ("train-1", "resnet", "produced")], edges);

        string Label(JsonElement edge, string end) =>
            nodes.Values.Single(n => n.GetProperty("id").GetString() == edge.GetProperty(end).GetString()).GetProperty("label").GetString()!;
    }

    [Fact]
    public async Task ChooseDepth_UpstreamOne_HandsAGraphWithoutTheDataset()
    {
        await SeedAsync();
        SignIn(Owner);
        var module = Context.JSInterop.SetupModule(LineageGraph.ModulePath);
        module.SetupVoid("show", _ => true).SetVoidResult();
        var page = RenderPage<LineageGraph>(("Node", "vision/resnet:v1"));
        page.WaitForAssertion(() => module.VerifyInvoke("show"));

        page.FindAll("[data-testid=lineage-up-depth] button").Single(b => b.TextContent.Trim() == "1").Click();

        page.WaitForAssertion(() =>
        {
            var last = Graph(module.Invocations["show"][^1]);
            Assert.Equal(["resnet", "train-1"], last.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("label").GetString()).Order(StringComparer.Ordinal));
        });
    }

    private static JsonElement Graph(JSRuntimeInvocation invocation) => Assert.IsType<JsonElement>(invocation.Arguments[3]);

    /// <summary>cifar10:v1 → run 1 → resnet:v1 (alias production), written as a logged run would leave them.</summary>
    private async Task SeedAsync()
    {
        await CreateProjectAsync();
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "cifar10");
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "resnet", ArtifactType.Model);
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "cifar10", new Dictionary<string, string> { ["train.csv"] = "a,b" });
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "resnet", new Dictionary<string, string> { ["model.pt"] = "weights" });
        await using var db = await Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var projectId = await db.Projects.Where(p => p.Slug == Slug).Select(p => p.Id).SingleAsync();
        var userId = OwnerPrincipal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var experiment = new Experiment { Id = Guid.NewGuid(), ProjectId = projectId, Name = "train", NormalizedName = "TRAIN", CreatedAt = DateTimeOffset.UtcNow, CreatedByUserId = userId };
        var run = new Run
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            ExperimentId = experiment.Id,
            Number = 1,
            Name = "train-1",
            Status = RunStatus.Finished,
            StartedAt = DateTimeOffset.UtcNow,
            LastHeartbeatAt = DateTimeOffset.UtcNow,
            CreatedByUserId = userId,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        db.Experiments.Add(experiment);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        var versions = await db.ArtifactVersions.Join(db.Artifacts, v => v.ArtifactId, a => a.Id, (v, a) => new { Version = v, a.Name }).ToListAsync();
        var model = versions.Single(v => v.Name == "resnet").Version;
        model.ProducedByRunId = run.Id;
        db.RunInputs.Add(new RunInput { RunId = run.Id, VersionId = versions.Single(v => v.Name == "cifar10").Version.Id, CreatedAt = DateTimeOffset.UtcNow });
        db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = model.ArtifactId, Name = "production", VersionId = model.Id, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }
}
