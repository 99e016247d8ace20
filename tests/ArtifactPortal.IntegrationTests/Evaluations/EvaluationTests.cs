using System.Net;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Evaluations;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Analysis;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Evaluations;

/// <summary>Evaluation files uploaded through the API and read back parsed; model versions compared; training data drift on a request.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class EvaluationTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Get_JsonAndCsvLayouts_FlattensNestedKeysAndNotesWhatItSkipped(DatabaseProvider provider)
    {
        var (_, _, slug, client) = await StartAsync(provider, "eval-read");
        await client.CreateArtifactAsync(slug, "eval", "Evaluation");
        await client.UploadVersionAsync(slug, "eval", new Dictionary<string, byte[]>
        {
            ["metrics.json"] = ArtifactScenario.Text("""
                {"accuracy": 0.93, "loss": 0.21, "test": {"auc": 0.97, "per_class": {"cat": {"f1": 0.9}}},
                 "confusion": [[1, 2], [3, 4]], "model": "resnet", "ok": true}
                """),
            ["per_class.csv"] = ArtifactScenario.Text("class,precision,recall,f1\ncat,0.91,0.89,0.90\ndog,0.88,0.93,0.905\n"),
            ["summary.csv"] = ArtifactScenario.Text("metric,value\nlatency_ms,12.5\ntop5,0.995\n"),
            ["wide.csv"] = ArtifactScenario.Text("val_accuracy,val_loss\n0.92,0.25\n"),
        });

        var metrics = await client.GetFromJsonAsync<EvaluationMetrics>($"{ArtifactScenario.ArtifactsUrl(slug)}/eval/versions/v1/evaluation",
            FileStatisticsJson.Options);

        var values = metrics!.Metrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(0.93, values["accuracy"]);
        Assert.Equal(0.97, values["test.auc"]);
        Assert.Equal(0.9, values["test.per_class.cat.f1"]);
        Assert.Equal(0.93, values["dog.recall"]);
        Assert.Equal(12.5, values["latency_ms"]);
        Assert.Equal(0.25, values["val_loss"]);
        Assert.Equal(14, metrics.Metrics.Count);
        Assert.DoesNotContain(metrics.Metrics, m => m.Key.StartsWith("confusion", StringComparison.Ordinal) || m.Key == "model");
        var json = metrics.Files.Single(f => f.Path == "metrics.json");
        Assert.Contains(json.Notes, n => n.Contains("Arrays", StringComparison.Ordinal) && n.Contains("confusion", StringComparison.Ordinal));
        Assert.Contains(json.Notes, n => n.Contains("not numbers", StringComparison.Ordinal) && n.Contains("model", StringComparison.Ordinal));
        Assert.All(metrics.Files, f => Assert.Null(f.Error));
        Assert.Equal("per_class.csv", metrics.Metrics.Single(m => m.Key == "cat.f1").File);
    }

    [Theory, DatabaseProviders]
    public async Task Get_MalformedOversizedAndWrongType_ReadableReasonsAndTheGoodFileStillRead(DatabaseProvider provider)
    {
        var (portal, _, slug, client) = await StartAsync(provider, "eval-bad");
        await client.CreateArtifactAsync(slug, "eval", "Evaluation");
        await client.CreateArtifactAsync(slug, "data", "Dataset");
        var big = new byte[EvaluationService.MaxFileBytes + 10];
        Array.Fill(big, (byte)' ');
        await client.UploadVersionAsync(slug, "eval", new Dictionary<string, byte[]>
        {
            ["good.json"] = ArtifactScenario.Text("""{"accuracy": 0.8}"""),
            ["broken.json"] = ArtifactScenario.Text("""{"accuracy": 0.8,"""),
            ["list.json"] = ArtifactScenario.Text("[0.1, 0.2]"),
            ["ragged.csv"] = ArtifactScenario.Text("metric,value\naccuracy,0.8,extra\n"),
            ["big.json"] = big,
        });
        await client.UploadVersionAsync(slug, "data", new Dictionary<string, byte[]> { ["m.json"] = ArtifactScenario.Text("""{"a": 1}""") });
        var outsider = await portal.CreateUserAsync("eval-outsider");
        using var outsiderClient = portal.CreateTokenClient((await portal.CreateTokenAsync(outsider, TokenScopes.Read)).Token);
        var url = $"{ArtifactScenario.ArtifactsUrl(slug)}/eval/versions/v1/evaluation";

        using var response = await client.GetAsync(url);
        var metrics = (await response.Content.ReadFromJsonAsync<EvaluationMetrics>(FileStatisticsJson.Options))!;
        using var dataset = await client.GetAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data/versions/v1/evaluation");
        using var hidden = await outsiderClient.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0.8, Assert.Single(metrics.Metrics).Value);
        string Error(string path) => metrics.Files.Single(f => f.Path == path).Error ?? "";
        Assert.StartsWith("This is not valid JSON", Error("broken.json"), StringComparison.Ordinal);
        Assert.Contains("holds a JSON array", Error("list.json"), StringComparison.Ordinal);
        Assert.Contains("Row 2 has 3 field(s) where the header has 2", Error("ragged.csv"), StringComparison.Ordinal);
        Assert.Contains("are not read", Error("big.json"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, dataset.StatusCode);
        Assert.Contains("Evaluation artifacts only", await dataset.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task CompareModelVersions_LinkedByLineageAndByMetadata_EachVersionGetsItsNewestEvaluation(DatabaseProvider provider)
    {
        var (_, _, slug, client) = await StartAsync(provider, "eval-compare");
        await client.CreateArtifactAsync(slug, "resnet", "Model");
        await client.CreateArtifactAsync(slug, "eval", "Evaluation");
        for (var i = 1; i <= 3; i++)
        {
            await client.UploadVersionAsync(slug, "resnet", new Dictionary<string, byte[]> { ["model.bin"] = ArtifactScenario.Text($"w{i}") });
        }

        // v1: two evaluations naming it in metadata, the newer wins. v2: an evaluation run that consumed it. v3: none.
        await UploadEvaluationAsync(client, slug, """{"accuracy": 0.70}""", model: $"{slug}/resnet:v1");
        await UploadEvaluationAsync(client, slug, """{"accuracy": 0.80, "f1": 0.75}""", model: "resnet:v1");
        var run = await client.CreateRunAsync(slug);
        using (var input = await client.PostAsJsonAsync($"{RunScenario.RunUrl(slug, run.Number)}/inputs", new ApiRunInput($"{slug}/resnet:v2")))
        {
            Assert.True(input.IsSuccessStatusCode, await input.Content.ReadAsStringAsync());
        }

        await UploadEvaluationAsync(client, slug, """{"accuracy": 0.86, "f1": 0.81}""", runId: run.Id);
        await UploadEvaluationAsync(client, slug, """{"accuracy": 0.99}""", model: "other-project/resnet:v3");

        var comparison = await client.GetFromJsonAsync<ModelEvaluationComparison>(
            $"{ApiEndpoints.Prefix}/projects/{slug}/models/resnet/evaluations", FileStatisticsJson.Options);
        using var chosen = await client.GetAsync($"{ApiEndpoints.Prefix}/projects/{slug}/models/resnet/evaluations?versions=1,2");
        using var bad = await client.GetAsync($"{ApiEndpoints.Prefix}/projects/{slug}/models/resnet/evaluations?versions=one");
        using var notModel = await client.GetAsync($"{ApiEndpoints.Prefix}/projects/{slug}/models/eval/evaluations");

        Assert.Equal([3, 2, 1], comparison!.Versions.Select(v => v.ModelVersion));
        Assert.Null(comparison.Versions[0].Evaluation);
        Assert.Equal(EvaluationLink.Lineage, comparison.Versions[1].LinkedBy);
        Assert.Equal(3, comparison.Versions[1].Evaluation!.VersionNumber);
        Assert.Equal(EvaluationLink.Metadata, comparison.Versions[2].LinkedBy);
        Assert.Equal(2, comparison.Versions[2].Evaluation!.VersionNumber);
        Assert.Equal([$"{slug}/eval:v1"], comparison.Versions[2].OtherEvaluations);
        Assert.Equal(["accuracy", "f1"], comparison.MetricKeys.Order(StringComparer.Ordinal));
        Assert.Equal(0.06, comparison.Difference(2, 1, "accuracy")!.Value, 1e-9);
        Assert.Equal(2, (await chosen.Content.ReadFromJsonAsync<ModelEvaluationComparison>(FileStatisticsJson.Options))!.Versions.Count);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notModel.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task PromotionComparison_TrainingData_DriftForChangedDatasetAndSameVersionForTheOther(DatabaseProvider provider)
    {
        var (portal, owner, slug, client) = await StartAsync(provider, "eval-drift");
        await client.CreateArtifactAsync(slug, "train", "Dataset");
        await client.CreateArtifactAsync(slug, "labels", "Dataset");
        await client.CreateArtifactAsync(slug, "resnet", "Model");
        var (before, _) = AnalysisScenario.Csv(1000, seed: 1);
        var (after, _) = AnalysisScenario.Csv(1200, shift: 5, seed: 2);
        await client.UploadVersionAsync(slug, "train", new Dictionary<string, byte[]> { ["data.csv"] = before });
        await client.UploadVersionAsync(slug, "train", new Dictionary<string, byte[]> { ["data.csv"] = after });
        await client.UploadVersionAsync(slug, "labels", new Dictionary<string, byte[]> { ["labels.csv"] = ArtifactScenario.Text("id,label\n1,cat\n") });
        foreach (var (trainVersion, weights) in new[] { ("v1", "w1"), ("v2", "w2") })
        {
            var run = await client.CreateRunAsync(slug);
            foreach (var input in new[] { $"{slug}/train:{trainVersion}", $"{slug}/labels:v1" })
            {
                (await client.PostAsJsonAsync($"{RunScenario.RunUrl(slug, run.Number)}/inputs", new ApiRunInput(input))).Dispose();
            }

            var upload = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/resnet/uploads",
                new BeginUpload([new UploadFileRequest("model.bin", 2)], null, run.Id), ArtifactScenario.Json);
            var status = (await upload.Content.ReadFromJsonAsync<UploadStatus>(ArtifactScenario.Json))!;
            (await client.PutFileAsync(status.Id, 0, ArtifactScenario.Text(weights))).Dispose();
            (await client.CommitAsync(status.Id)).Dispose();
        }

        await WaitForStatisticsAsync(portal, owner, slug, "train", 1);
        await WaitForStatisticsAsync(portal, owner, slug, "train", 2);
        using (var moved = await client.PostAsJsonAsync($"{ApiEndpoints.Prefix}/projects/{slug}/models/resnet/aliases/production/override",
                   new ApiOverride(1, "first production model")))
        {
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        }

        using var requested = await client.PostAsJsonAsync($"{ApiEndpoints.Prefix}/projects/{slug}/models/resnet/promotions",
            new ApiNewPromotion("production", 2, "trained on the new data"));
        Assert.True(requested.IsSuccessStatusCode, await requested.Content.ReadAsStringAsync());
        var number = (await requested.Content.ReadFromJsonAsync<ApiPromotionDetails>(ArtifactScenario.Json))!.Request.Number;

        var view = await portal.Service<PromotionComparison>().GetAsync(owner.Principal, slug, number);

        Assert.Equal(["labels", "train"], view.TrainingData.Select(d => d.Artifact));
        var labels = view.TrainingData[0];
        Assert.Equal(TrainingDataState.SameVersion, labels.State);
        Assert.Equal("Both were trained on v1.", labels.Detail);
        var train = view.TrainingData[1];
        Assert.Equal(TrainingDataState.Compared, train.State);
        Assert.Equal((2, 1), (train.CandidateVersion, train.HolderVersion));
        var file = Assert.Single(train.Comparison!.Files);
        Assert.Equal(200, file.RowChange);
        Assert.Equal(DriftLevel.Significant, file.Columns.Single(c => c.Name == "value").Drift);
    }

    private async Task<(PortalWebApplicationFactory Portal, TestUser Owner, string Slug, HttpClient Client)> StartAsync(DatabaseProvider provider, string who)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync(who);
        var project = await portal.CreateProjectAsync(owner);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        return (portal, owner, project.Slug, client);
    }

    private static async Task UploadEvaluationAsync(HttpClient client, string slug, string json, string? model = null, Guid? runId = null)
    {
        var content = ArtifactScenario.Text(json);
        var metadata = model is null ? null : new Dictionary<string, System.Text.Json.JsonElement> { ["model"] = RunScenario.Json($"\"{model}\"") };
        using var begun = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/eval/uploads",
            new BeginUpload([new UploadFileRequest("metrics.json", content.Length)], metadata, runId), ArtifactScenario.Json);
        Assert.True(begun.IsSuccessStatusCode, await begun.Content.ReadAsStringAsync());
        var upload = (await begun.Content.ReadFromJsonAsync<UploadStatus>(ArtifactScenario.Json))!;
        (await client.PutFileAsync(upload.Id, 0, content)).Dispose();
        using var commit = await client.CommitAsync(upload.Id);
        Assert.True(commit.IsSuccessStatusCode, await commit.Content.ReadAsStringAsync());
    }

    private static async Task WaitForStatisticsAsync(PortalWebApplicationFactory portal, TestUser owner, string slug, string name, int version)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var jobs = await portal.Service<AnalysisService>().GetJobsAsync(owner.Principal, slug, name, $"v{version}");
            if (jobs.Any(j => j.Kind == AnalysisKind.Statistics && j.Status == AnalysisStatus.Succeeded))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{name}:v{version} statistics: {string.Join(", ", jobs.Select(j => $"{j.Kind} {j.Status} {j.Error}"))}");
            await Task.Delay(250);
        }
    }
}
