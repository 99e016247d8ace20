using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Artifacts and versions made through the real REST API, as a training script would.</summary>
public static class ArtifactScenario
{
    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static string ArtifactsUrl(string slug) => $"{ApiEndpoints.Prefix}/projects/{slug}/artifacts";

    public static async Task<ApiArtifact> CreateArtifactAsync(this HttpClient client, string slug, string name, string type = "Dataset")
    {
        using var response = await client.PostAsJsonAsync(ArtifactsUrl(slug), new ApiNewArtifact(name, type, "", []), Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiArtifact>(Json))!;
    }

    public static async Task<UploadStatus> BeginUploadAsync(
        this HttpClient client, string slug, string name, IReadOnlyDictionary<string, byte[]> files, bool sendHashes = false,
        IReadOnlyDictionary<string, JsonElement>? metadata = null)
    {
        var request = new BeginUpload([.. files.Select(f => new UploadFileRequest(f.Key, f.Value.Length, sendHashes ? Sha256(f.Value) : null))], metadata);
        using var response = await client.PostAsJsonAsync($"{ArtifactsUrl(slug)}/{name}/uploads", request, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<UploadStatus>(Json))!;
    }

    public static Task<HttpResponseMessage> PutFileAsync(this HttpClient client, Guid uploadId, int index, byte[] content) =>
        client.PutAsync($"{ApiEndpoints.Prefix}/uploads/{uploadId}/files/{index}", new ByteArrayContent(content));

    public static Task<HttpResponseMessage> CommitAsync(this HttpClient client, Guid uploadId) =>
        client.PostAsync($"{ApiEndpoints.Prefix}/uploads/{uploadId}/commit", null);

    /// <summary>Begin, PUT every file whole, commit: the version the API answers with.</summary>
    public static async Task<ApiVersion> UploadVersionAsync(
        this HttpClient client, string slug, string name, IReadOnlyDictionary<string, byte[]> files, IReadOnlyDictionary<string, JsonElement>? metadata = null)
    {
        var upload = await client.BeginUploadAsync(slug, name, files, metadata: metadata);
        foreach (var file in upload.Files.Where(f => !f.Complete))
        {
            using var put = await client.PutFileAsync(upload.Id, file.Index, files[file.Path]);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var commit = await client.CommitAsync(upload.Id);
        Assert.True(commit.IsSuccessStatusCode, await commit.Content.ReadAsStringAsync());
        return (await commit.Content.ReadFromJsonAsync<ApiVersion>(Json))!;
    }

    public static async Task<string> ProblemDetailAsync(this HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : problem.GetRawText();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] Text(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
