using System.Net.Http.Json;
using System.Text.Json;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Runs made through the real REST API, as a training script would, and metric summaries as the ingest keeps them.</summary>
public static class RunScenario
{
    public static string RunsUrl(string slug) => $"{ApiEndpoints.Prefix}/projects/{slug}/runs";

    public static string RunUrl(string slug, int number) => $"{RunsUrl(slug)}/{number}";

    /// <summary>POSTs <paramref name="body"/> (an anonymous object, so params can be any JSON) and returns the created run.</summary>
    public static async Task<ApiRun> CreateRunAsync(this HttpClient client, string slug, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(RunsUrl(slug), body ?? new { }, ArtifactScenario.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiRun>(ArtifactScenario.Json))!;
    }

    public static Task<HttpResponseMessage> PatchRunAsync(this HttpClient client, string slug, int number, object body) =>
        client.PatchAsync(RunUrl(slug, number), JsonContent.Create(body, options: ArtifactScenario.Json));

    public static async Task<ApiRun> ReadRunAsync(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiRun>(ArtifactScenario.Json))!;
    }

    public static async Task<ApiPage<ApiRun>> ListRunsAsync(this HttpClient client, string slug, string query = "")
    {
        using var response = await client.GetAsync($"{RunsUrl(slug)}?{query}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiPage<ApiRun>>(ArtifactScenario.Json))!;
    }

    /// <summary>A metric summary row as the metric ingest maintains it (the ingest itself is tested with the metrics API).</summary>
    public static Task SetMetricAsync(this PortalWebApplicationFactory portal, Guid runId, string key, double last, double? min = null, double? max = null) =>
        portal.ChangeDatabaseAsync(db =>
        {
            db.MetricSeries.Add(new MetricSeries
            {
                RunId = runId,
                Key = key,
                Count = 1,
                Last = last,
                LastStep = 1,
                Min = min ?? last,
                Max = max ?? last,
                UpdatedAt = DateTimeOffset.UtcNow,
            });
            return Task.CompletedTask;
        });

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
