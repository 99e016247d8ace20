using System.Net.Http.Json;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Runs to log metrics to, and the metric calls of the API.</summary>
public static class MetricScenario
{
    /// <summary>A run straight in the database (the runs API is another feature's), numbered after the project's last.</summary>
    public static async Task<int> CreateRunAsync(
        this PortalWebApplicationFactory portal, Guid projectId, string creatorId, RunStatus status = RunStatus.Running)
    {
        var number = 0;
        await portal.ChangeDatabaseAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var name = $"exp-{Guid.NewGuid():N}"[..12];
            var experiment = new Experiment
            {
                Id = Guid.NewGuid(),
                ProjectId = projectId,
                Name = name,
                NormalizedName = name.ToUpperInvariant(),
                CreatedAt = now,
                CreatedByUserId = creatorId,
            };
            number = 1 + db.Runs.Where(r => r.ProjectId == projectId).Select(r => (int?)r.Number).Max() ?? 1;
            db.Experiments.Add(experiment);
            db.Runs.Add(new Run
            {
                Id = Guid.NewGuid(),
                ProjectId = projectId,
                ExperimentId = experiment.Id,
                Number = number,
                Name = $"run-{number}",
                Status = status,
                StartedAt = now,
                EndedAt = status == RunStatus.Running ? null : now,
                LastHeartbeatAt = now,
                CreatedByUserId = creatorId,
                ConcurrencyStamp = Guid.NewGuid(),
            });
            await Task.CompletedTask;
        });
        return number;
    }

    public static string MetricsUrl(string slug, int run) => $"{ApiEndpoints.Prefix}/projects/{slug}/runs/{run}/metrics";

    /// <summary>Posts raw JSON, so tests can send what a typed client could not (strings, NaN).</summary>
    public static Task<HttpResponseMessage> PostMetricsAsync(this HttpClient client, string slug, int run, string json) =>
        client.PostAsync(MetricsUrl(slug, run), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static async Task LogAsync(this HttpClient client, string slug, int run, IEnumerable<(string Key, long Step, double Value)> points)
    {
        var batch = new ApiMetricBatch([.. points.Select(p => new ApiMetricPoint(p.Key, p.Step, p.Value))]);
        using var response = await client.PostAsJsonAsync(MetricsUrl(slug, run), batch, ArtifactScenario.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<ApiMetricPoints> PointsAsync(this HttpClient client, string slug, int run, string key, string query = "")
    {
        using var response = await client.GetAsync($"{MetricsUrl(slug, run)}/{Uri.EscapeDataString(key)}{query}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiMetricPoints>(ArtifactScenario.Json))!;
    }
}
