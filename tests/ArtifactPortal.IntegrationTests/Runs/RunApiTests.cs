// Request bodies are written inline as anonymous objects, the way a script would send them.
#pragma warning disable CA1861

using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Runs;

[Collection(PortalCollectionDefinition.Name)]
public sealed class RunApiTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task CreateRun_NoExperiment_NumbersRunsInTheDefaultExperimentAndKeepsParamsAsJsonText(DatabaseProvider provider)
    {
        var (portal, project, client) = await OwnerAsync(provider, "run-create");
        using var _ = client;

        var first = await client.CreateRunAsync(project.Slug, new
        {
            @params = new { lr = 0.01, arch = "resnet50", augment = true, epochs = 30 },
            tags = new[] { "baseline", "baseline", " gpu " },
            notes = "First try",
            source = new { commit = "abc123", entryPoint = "train.py", host = "gpu-01" },
        });
        var second = await client.CreateRunAsync(project.Slug, new { name = "second" });

        Assert.Equal(1, first.Number);
        Assert.Equal(2, second.Number);
        Assert.Equal("run-1", first.Name);
        Assert.Equal("second", second.Name);
        Assert.Equal("Default", first.Experiment);
        Assert.Equal("running", first.Status);
        Assert.Null(first.EndedAt);
        Assert.Equal(new Dictionary<string, string> { ["arch"] = "resnet50", ["augment"] = "true", ["epochs"] = "30", ["lr"] = "0.01" }, first.Params);
        Assert.Equal(["baseline", "gpu"], first.Tags);
        Assert.Equal(new ApiRunSource("abc123", "train.py", "gpu-01"), first.Source);
        Assert.Equal($"/p/{project.Slug}/runs/1", first.Url);
        var fetched = await client.GetFromJsonAsync<ApiRun>(RunScenario.RunUrl(project.Slug, 1), ArtifactScenario.Json);
        Assert.Equal(first.Id, fetched!.Id);
        Assert.Equal("First try", fetched.Notes);
        var experiments = await client.GetFromJsonAsync<ApiItems<ApiExperiment>>($"{ApiEndpoints.Prefix}/projects/{project.Slug}/experiments", ArtifactScenario.Json);
        var experiment = Assert.Single(experiments!.Items);
        Assert.Equal(("Default", 2), (experiment.Name, experiment.RunCount));
        Assert.Equal(2, (await portal.AuditAsync(project.Id)).Count(e => e.Action == AuditActions.RunCreated));
    }

    [Theory, DatabaseProviders]
    public async Task CreateExperiment_SameNameInOtherCase_ConflictsAndRunsJoinTheExistingOne(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerAsync(provider, "run-experiment");
        using var _ = client;
        var url = $"{ApiEndpoints.Prefix}/projects/{project.Slug}/experiments";

        using var created = await client.PostAsJsonAsync(url, new ApiNewExperiment("resnet-sweep", "Learning rates"), ArtifactScenario.Json);
        using var duplicate = await client.PostAsJsonAsync(url, new ApiNewExperiment("ResNet-Sweep", null), ArtifactScenario.Json);
        var run = await client.CreateRunAsync(project.Slug, new { experiment = "RESNET-SWEEP" });
        var other = await client.CreateRunAsync(project.Slug, new { experiment = "vit" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("resnet-sweep", await duplicate.ProblemDetailAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("resnet-sweep", run.Experiment);
        Assert.Equal("vit", other.Experiment);
        var experiments = await client.GetFromJsonAsync<ApiItems<ApiExperiment>>(url, ArtifactScenario.Json);
        Assert.Equal([("resnet-sweep", 1, "Learning rates"), ("vit", 1, null)], experiments!.Items.Select(e => (e.Name, e.RunCount, e.Description)));
    }

    [Theory, DatabaseProviders]
    public async Task CreateRun_ManyAtOnce_EveryRunGetsItsOwnNumber(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerAsync(provider, "run-race");
        using var _ = client;

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.CreateRunAsync(project.Slug, new { experiment = "sweep" })));

        Assert.Equal(Enumerable.Range(1, 8), runs.Select(r => r.Number).Order());
        Assert.Equal(8, (await client.ListRunsAsync(project.Slug)).Total);
    }

    [Theory, DatabaseProviders]
    public async Task UpdateRun_Finished_EndsTheRunAndRefusesParamsInputsHeartbeatsAndReopening(DatabaseProvider provider)
    {
        var (portal, project, client) = await OwnerAsync(provider, "run-finish");
        using var _ = client;
        var run = await client.CreateRunAsync(project.Slug, new { @params = new { lr = 0.01 } });

        var finished = await (await client.PatchRunAsync(project.Slug, run.Number, new { status = "finished" })).ReadRunAsync();
        using var newParam = await client.PatchRunAsync(project.Slug, run.Number, new { @params = new { momentum = 0.9 } });
        using var reopen = await client.PatchRunAsync(project.Slug, run.Number, new { status = "running" });
        using var changeEnd = await client.PatchRunAsync(project.Slug, run.Number, new { status = "killed" });
        using var heartbeat = await client.PostAsync($"{RunScenario.RunUrl(project.Slug, run.Number)}/heartbeat", null);
        using var input = await client.PostAsJsonAsync($"{RunScenario.RunUrl(project.Slug, run.Number)}/inputs", new ApiRunInput("x/y:latest"), ArtifactScenario.Json);
        var again = await (await client.PatchRunAsync(project.Slug, run.Number, new { status = "finished", @params = new { lr = 0.01 } })).ReadRunAsync();
        var annotated = await (await client.PatchRunAsync(project.Slug, run.Number, new { name = "final", notes = "**good**", addTags = new[] { "keep" } })).ReadRunAsync();

        Assert.Equal("finished", finished.Status);
        Assert.NotNull(finished.EndedAt);
        Assert.True(finished.DurationSeconds >= 0);
        Assert.Equal(HttpStatusCode.Conflict, newParam.StatusCode);
        Assert.Contains("finished", await newParam.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changeEnd.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, input.StatusCode);
        Assert.Equal(finished.EndedAt, again.EndedAt);
        Assert.Equal(("final", "**good**"), (annotated.Name, annotated.Notes));
        Assert.Equal(["keep"], annotated.Tags);
        Assert.Equal(new Dictionary<string, string> { ["lr"] = "0.01" }, annotated.Params);
        Assert.Single(await portal.AuditAsync(project.Id), e => e.Action == AuditActions.RunEnded && e.Target == "run 1");
    }

    [Theory, DatabaseProviders]
    public async Task UpdateRun_ParamsAndTags_ParamsAreWrittenOnceAndTagsAddAndRemove(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerAsync(provider, "run-params");
        using var _ = client;
        var run = await client.CreateRunAsync(project.Slug, new { @params = new { lr = 0.01 }, tags = new[] { "a", "b" } });

        var added = await (await client.PatchRunAsync(project.Slug, run.Number, new { @params = new { lr = 0.01, batch = 64 }, addTags = new[] { "c" }, removeTags = new[] { "a" } }))
            .ReadRunAsync();
        using var changed = await client.PatchRunAsync(project.Slug, run.Number, new { @params = new { lr = 0.1 } });
        using var badStatus = await client.PatchRunAsync(project.Slug, run.Number, new { status = "paused" });

        Assert.Equal(new Dictionary<string, string> { ["batch"] = "64", ["lr"] = "0.01" }, added.Params);
        Assert.Equal(["b", "c"], added.Tags);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Contains("'lr' is already 0.01", await changed.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal("running", (await client.GetFromJsonAsync<ApiRun>(RunScenario.RunUrl(project.Slug, run.Number), ArtifactScenario.Json))!.Status);
    }

    [Theory, DatabaseProviders]
    public async Task CreateRun_OverLongKeysAndValues_AnswersBadRequestNamingTheKeyAndStoresNothing(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerAsync(provider, "run-limits");
        using var _ = client;
        var longKey = new string('k', RunLimits.MaxKeyLength + 1);
        var cases = new (object Body, string Expected)[]
        {
            (new Dictionary<string, object> { ["params"] = new Dictionary<string, object> { [longKey] = 1 } }, "param key 'kkkk"),
            (new { @params = new { lr = new string('1', RunLimits.MaxParamValueLength + 1) } }, "param 'lr'"),
            (new { tags = new[] { new string('t', RunLimits.MaxTagLength + 1) } }, "tag 'tttt"),
            (new { name = new string('n', RunLimits.MaxNameLength + 1) }, "run name"),
            (new { experiment = new string('e', RunLimits.MaxNameLength + 1) }, "experiment name"),
            (new { notes = new string('n', RunLimits.MaxNotesLength + 1) }, "notes"),
            (new { source = new { host = new string('h', RunLimits.MaxSourceLength + 1) } }, "source host"),
            (new { @params = new { nested = new { a = 1 } } }, "Param 'nested'"),
        };

        foreach (var (body, expected) in cases)
        {
            using var response = await client.PostAsJsonAsync(RunScenario.RunsUrl(project.Slug), body, ArtifactScenario.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.ProblemDetailAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await client.ListRunsAsync(project.Slug)).Total);
        var run = await client.CreateRunAsync(project.Slug);
        using var longParam = await client.PatchRunAsync(project.Slug, run.Number, new Dictionary<string, object> { ["params"] = new Dictionary<string, object> { [longKey] = 1 } });
        Assert.Equal(HttpStatusCode.BadRequest, longParam.StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<ApiRun>(RunScenario.RunUrl(project.Slug, run.Number), ArtifactScenario.Json))!.Params);
    }

    [Theory, DatabaseProviders]
    public async Task ListRuns_FilterAndSort_ComparesParamsAsNumbersAndMetricsByTheirLastValue(DatabaseProvider provider)
    {
        var (portal, project, client) = await OwnerAsync(provider, "run-filter");
        using var _ = client;
        var a = await client.CreateRunAsync(project.Slug, new { name = "a", experiment = "sweep", @params = new { lr = 0.1, arch = "resnet" }, tags = new[] { "baseline" } });
        var b = await client.CreateRunAsync(project.Slug, new { name = "b", experiment = "sweep", @params = new { lr = 0.05, arch = "vit" } });
        var c = await client.CreateRunAsync(project.Slug, new { name = "c", experiment = "other", @params = new { lr = 1e-3, arch = "ResNet" } });
        var d = await client.CreateRunAsync(project.Slug, new { name = "d", experiment = "other" });
        await portal.SetMetricAsync(a.Id, "val_acc", 0.95);
        await portal.SetMetricAsync(b.Id, "val_acc", 0.91);
        await portal.SetMetricAsync(c.Id, "val_acc", 0.5);
        await client.PatchRunAsync(project.Slug, d.Number, new { status = "failed" });

        string[] Names(ApiPage<ApiRun> page) => [.. page.Items.Select(r => r.Name)];
        var filtered = await client.ListRunsAsync(project.Slug, "filter=" + Uri.EscapeDataString("params.lr > 0.005 and metrics.val_acc >= 0.9"));
        var byParam = await client.ListRunsAsync(project.Slug, "sort=params.lr");
        var byMetric = await client.ListRunsAsync(project.Slug, "sort=-metrics.val_acc");
        var tagged = await client.ListRunsAsync(project.Slug, "filter=" + Uri.EscapeDataString("tags = baseline"));
        var text = await client.ListRunsAsync(project.Slug, "filter=" + Uri.EscapeDataString("params.arch = 'resnet' and status != failed"));
        var failed = await client.ListRunsAsync(project.Slug, "filter=status%3Dfailed");
        var experiment = await client.ListRunsAsync(project.Slug, "experiment=SWEEP&sort=name");
        var paged = await client.ListRunsAsync(project.Slug, "pageSize=3&page=2");

        Assert.Equal(["b", "a"], Names(filtered));
        Assert.Equal(2, filtered.Total);
        Assert.Equal(["c", "b", "a", "d"], Names(byParam));
        Assert.Equal(["a", "b", "c", "d"], Names(byMetric));
        Assert.Equal(0.95, byMetric.Items[0].Metrics.Single(m => m.Key == "val_acc").Last);
        Assert.Equal(["a"], Names(tagged));
        Assert.Equal(["c", "a"], Names(text));
        Assert.Equal(["d"], Names(failed));
        Assert.Equal(["a", "b"], Names(experiment));
        Assert.Equal(4, paged.Total);
        Assert.Equal(["a"], Names(paged));
    }

    [Theory, DatabaseProviders]
    public async Task ListRuns_UnparsableFilterOrSort_AnswersBadRequestSayingWhere(DatabaseProvider provider)
    {
        var (_, project, client) = await OwnerAsync(provider, "run-badfilter");
        using var _ = client;
        await client.CreateRunAsync(project.Slug);

        var cases = new[]
        {
            ("filter=" + Uri.EscapeDataString("params.lr >> 1"), "position 12"),
            ("filter=" + Uri.EscapeDataString("metrics.acc > high"), "position 15"),
            ("filter=" + Uri.EscapeDataString("lr > 1"), "'lr' is not a field"),
            ("filter=" + Uri.EscapeDataString("params.lr > 1 or status = running"), "expected 'and'"),
            ("filter=" + Uri.EscapeDataString("status = paused"), "status is one of"),
            ("sort=size", "not 'size'"),
            ("status=paused", "not 'paused'"),
        };
        foreach (var (query, expected) in cases)
        {
            using var response = await client.GetAsync($"{RunScenario.RunsUrl(project.Slug)}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.ProblemDetailAsync(), StringComparison.Ordinal);
        }
    }

    [Theory, DatabaseProviders]
    public async Task AddInput_VersionsOfThisAndAnotherProject_AreRecordedOnlyWhenTheCallerCanSeeThem(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("run-inputs");
        var data = await portal.CreateProjectAsync(owner);
        var train = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(data.Slug, "cifar10");
        await client.UploadVersionAsync(data.Slug, "cifar10", new Dictionary<string, byte[]> { ["train.csv"] = ArtifactScenario.Text("a\n1\n") });
        await client.CreateArtifactAsync(train.Slug, "config", "Config");
        await client.UploadVersionAsync(train.Slug, "config", new Dictionary<string, byte[]> { ["c.json"] = ArtifactScenario.Text("{}") });
        var editor = await portal.CreateUserAsync("run-inputs-editor");
        await portal.AddMemberAsync(train.Slug, editor.Principal, ProjectRole.Editor);
        using var editorClient = portal.CreateTokenClient((await portal.CreateTokenAsync(editor, TokenScopes.Read | TokenScopes.Write)).Token);
        var run = await client.CreateRunAsync(train.Slug);
        var inputs = $"{RunScenario.RunUrl(train.Slug, run.Number)}/inputs";

        using var other = await client.PostAsJsonAsync(inputs, new ApiRunInput($"{data.Slug}/cifar10:latest"), ArtifactScenario.Json);
        using var own = await client.PostAsJsonAsync(inputs, new ApiRunInput("config"), ArtifactScenario.Json);
        using var twice = await client.PostAsJsonAsync(inputs, new ApiRunInput($"{data.Slug}/cifar10:v1"), ArtifactScenario.Json);
        using var hidden = await editorClient.PostAsJsonAsync(inputs, new ApiRunInput($"{data.Slug}/cifar10:latest"), ArtifactScenario.Json);
        using var missing = await client.PostAsJsonAsync(inputs, new ApiRunInput($"{data.Slug}/nothing:latest"), ArtifactScenario.Json);
        using var wrongProject = await client.GetAsync(RunScenario.RunUrl(data.Slug, run.Number));

        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal($"{data.Slug}/cifar10:v1", (await other.Content.ReadFromJsonAsync<ApiRunInputAdded>(ArtifactScenario.Json))!.Reference);
        Assert.Equal($"{train.Slug}/config:v1", (await own.Content.ReadFromJsonAsync<ApiRunInputAdded>(ArtifactScenario.Json))!.Reference);
        Assert.Equal(HttpStatusCode.Created, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongProject.StatusCode);
        var seenByOwner = await client.GetFromJsonAsync<ApiRun>(RunScenario.RunUrl(train.Slug, run.Number), ArtifactScenario.Json);
        Assert.Equal([new ApiRunArtifact($"{train.Slug}/config:v1", "Config"), new ApiRunArtifact($"{data.Slug}/cifar10:v1", "Dataset")],
            seenByOwner!.Inputs.OrderBy(i => i.Type, StringComparer.Ordinal));
        var seenByEditor = await editorClient.GetFromJsonAsync<ApiRun>(RunScenario.RunUrl(train.Slug, run.Number), ArtifactScenario.Json);
        Assert.Equal([$"{train.Slug}/config:v1"], seenByEditor!.Inputs.Select(i => i.Reference));
    }

    [Theory, DatabaseProviders]
    public async Task BeginUpload_WithRunId_TheCommittedVersionIsARunOutputOnlyForARunningRunOfTheSameProject(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("run-outputs");
        var train = await portal.CreateProjectAsync(owner);
        var elsewhere = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(train.Slug, "resnet", "Model");
        await client.CreateArtifactAsync(elsewhere.Slug, "resnet", "Model");
        var run = await client.CreateRunAsync(train.Slug);
        var weights = ArtifactScenario.Text("weights");
        BeginUpload Begin(Guid runId) => new([new UploadFileRequest("model.pt", weights.Length)], null, runId);

        using var begun = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(train.Slug)}/resnet/uploads", Begin(run.Id), ArtifactScenario.Json);
        var upload = (await begun.Content.ReadFromJsonAsync<UploadStatus>(ArtifactScenario.Json))!;
        (await client.PutFileAsync(upload.Id, 0, weights)).Dispose();
        using var commit = await client.CommitAsync(upload.Id);
        var version = (await commit.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json))!;
        using var otherProject = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(elsewhere.Slug)}/resnet/uploads", Begin(run.Id), ArtifactScenario.Json);
        using var unknownRun = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(train.Slug)}/resnet/uploads", Begin(Guid.NewGuid()), ArtifactScenario.Json);
        var ended = await (await client.PatchRunAsync(train.Slug, run.Number, new { status = "finished" })).ReadRunAsync();
        using var afterEnd = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(train.Slug)}/resnet/uploads", Begin(run.Id), ArtifactScenario.Json);

        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        Assert.Equal(run.Id, version.ProducedByRunId);
        Assert.Equal([new ApiRunArtifact($"{train.Slug}/resnet:v1", "Model")], ended.Outputs);
        Assert.Equal(HttpStatusCode.BadRequest, otherProject.StatusCode);
        Assert.Contains("not a run of this project", await otherProject.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownRun.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterEnd.StatusCode);
        Assert.Contains("already ended as finished", await afterEnd.ProblemDetailAsync(), StringComparison.Ordinal);
    }

    [Theory, DatabaseProviders]
    public async Task Runs_ViewerAndOutsider_ViewerReadsButCannotWriteAndOutsiderSeesNothing(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("run-roles");
        var project = await portal.CreateProjectAsync(owner);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        var run = await client.CreateRunAsync(project.Slug);
        var viewer = await portal.CreateUserAsync("run-viewer");
        await portal.AddMemberAsync(project.Slug, viewer.Principal, ProjectRole.Viewer);
        using var viewerClient = portal.CreateTokenClient((await portal.CreateTokenAsync(viewer, TokenScopes.Read | TokenScopes.Write)).Token);
        var outsider = await portal.CreateUserAsync("run-outsider");
        using var outsiderClient = portal.CreateTokenClient((await portal.CreateTokenAsync(outsider, TokenScopes.Read | TokenScopes.Write)).Token);
        using var readOnlyClient = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read)).Token);

        Assert.Equal(1, (await viewerClient.ListRunsAsync(project.Slug)).Total);
        using var viewerCreate = await viewerClient.PostAsJsonAsync(RunScenario.RunsUrl(project.Slug), new { }, ArtifactScenario.Json);
        using var viewerPatch = await viewerClient.PatchRunAsync(project.Slug, run.Number, new { status = "killed" });
        using var viewerHeartbeat = await viewerClient.PostAsync($"{RunScenario.RunUrl(project.Slug, run.Number)}/heartbeat", null);
        using var outsiderGet = await outsiderClient.GetAsync(RunScenario.RunUrl(project.Slug, run.Number));
        using var outsiderCreate = await outsiderClient.PostAsJsonAsync(RunScenario.RunsUrl(project.Slug), new { }, ArtifactScenario.Json);
        using var ownerHeartbeat = await client.PostAsync($"{RunScenario.RunUrl(project.Slug, run.Number)}/heartbeat", null);
        using var readOnlyCreate = await readOnlyClient.PostAsJsonAsync(RunScenario.RunsUrl(project.Slug), new { }, ArtifactScenario.Json);
        using var noSuchRun = await client.PostAsync($"{RunScenario.RunUrl(project.Slug, 99)}/heartbeat", null);

        Assert.Equal(HttpStatusCode.Forbidden, viewerCreate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerPatch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerHeartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsiderGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsiderCreate.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ownerHeartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnlyCreate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSuchRun.StatusCode);
        Assert.Equal("running", (await client.GetFromJsonAsync<ApiRun>(RunScenario.RunUrl(project.Slug, run.Number), ArtifactScenario.Json))!.Status);
    }

    /// <summary>A new account owning a new project, and an API client with its read/write token.</summary>
    private async Task<(PortalWebApplicationFactory Portal, ProjectSummary Project, HttpClient Client)> OwnerAsync(DatabaseProvider provider, string account)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync(account);
        var project = await portal.CreateProjectAsync(owner);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        return (portal, project, client);
    }
}
