using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Artifacts;

[Collection(PortalSuite.Name)]
public sealed class ArtifactPagesTests(PortalFixture fixture)
{
    // Inside the sandbox the document has an opaque origin: reading cookies or the parent page throws.
    private const string Report = """
        <!doctype html><html><body><h1>Loss curve</h1><p id="result"></p>
        <script>
          let cookie, parent;
          try { cookie = 'readable: ' + document.cookie; } catch (e) { cookie = 'blocked'; }
          try { parent = 'readable: ' + window.parent.document.title; } catch (e) { parent = 'blocked'; }
          document.getElementById('result').textContent = 'cookie ' + cookie + ', parent ' + parent;
        </script></body></html>
        """;

    private static readonly string[] DatasetTags = ["images", "baseline"];

    private static readonly string[] ModelTags = ["images"];

    [Fact]
    public async Task ArtifactPages_VersionsUploadedThroughTheApi_ListArtifactAndVersionShowThem()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("artifacts"));
        var owner = await fixture.PrincipalAsync(email);
        var slug = $"vision-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.True((await fixture.Services.GetRequiredService<ProjectService>()
            .CreateAsync(owner, new NewProject("Vision", slug, "", ProjectVisibility.Private))).Succeeded);
        await fixture.Services.GetRequiredService<ProjectService>()
            .CreateAsync(owner, new NewProject("Empty", slug + "-empty", "", ProjectVisibility.Private));
        using var api = await ApiClientAsync(owner);
        await PostAsync(api, $"api/v1/projects/{slug}/artifacts", new
        {
            name = "cifar10",
            type = "Dataset",
            tags = DatasetTags,
            description = "# CIFAR-10\n\n60,000 tiny images in **10 classes**, split into train and test.",
        });
        await PostAsync(api, $"api/v1/projects/{slug}/artifacts", new { name = "resnet50", type = "Model", tags = ModelTags });
        await UploadAsync(api, slug, "cifar10", new() { ["data/train.csv"] = "label,pixels\n3,0 0 0\n", ["README.md"] = "# CIFAR" }, null);
        await UploadAsync(
            api, slug, "cifar10",
            new() { ["data/train.csv"] = "label,pixels\n3,0 0 1\n", ["data/test.csv"] = "label,pixels\n1,1 1 1\n", ["plots/loss.html"] = Report },
            new { seed = 42, split = new { train = 0.8, test = 0.2 }, source = "https://www.cs.toronto.edu/~kriz/cifar.html" });
        using (var alias = await api.PutAsJsonAsync($"api/v1/projects/{slug}/artifacts/cifar10/aliases/best", new { version = 1 }))
        {
            alias.EnsureSuccessStatusCode();
        }

        var page = await fixture.NewSignedInPageAsync(email);
        var artifacts = new ArtifactPages(page);

        await artifacts.OpenAsync($"p/{slug}/artifacts", "Vision");
        await Expect(artifacts.ArtifactLink("cifar10")).ToBeVisibleAsync();
        await Expect(artifacts.ArtifactLink("resnet50")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "artifact-list");

        await artifacts.ArtifactLink("cifar10").ClickAsync();
        await Expect(artifacts.Versions).ToHaveCountAsync(2);
        await Expect(artifacts.Versions.First).ToContainTextAsync("latest");
        await Expect(artifacts.Versions.Last).ToContainTextAsync("best");
        await Expect(page.GetByTestId("artifact-description").Locator("h1")).ToHaveTextAsync("CIFAR-10");
        await fixture.ScreenshotAsync(page, "artifact-page");

        await artifacts.VersionLink(2).ClickAsync();
        await Expect(artifacts.Identifier).ToHaveTextAsync($"{slug}/cifar10:v2");
        await Expect(artifacts.MetadataRows).ToHaveCountAsync(3);
        await Expect(artifacts.CurlCommand).ToContainTextAsync($"/api/v1/projects/{slug}/artifacts/cifar10/versions/v2/zip");
        await Expect(artifacts.HtmlPreview.Locator("#result")).ToHaveTextAsync("cookie blocked, parent blocked");
        await fixture.ScreenshotAsync(page, "artifact-version");

        await page.GetByTestId("compare-previous").ClickAsync();
        await Expect(page.GetByTestId("compare-summary")).ToContainTextAsync("2 added");
        await fixture.ScreenshotAsync(page, "artifact-compare");

        await artifacts.OpenAsync($"p/{slug}-empty/artifacts", "Empty");
        await Expect(artifacts.EmptyState).ToContainTextAsync("No artifacts yet");
        await fixture.ScreenshotAsync(page, "artifact-list-empty");

        // The same pages in the dark theme.
        await artifacts.ToggleThemeAsync();
        await fixture.WaitForSavedDarkModeAsync(email, darkMode: true);
        foreach (var (path, name) in new[]
        {
            ($"p/{slug}/artifacts", "artifact-list-dark"),
            ($"p/{slug}/artifacts/cifar10", "artifact-page-dark"),
            ($"p/{slug}/artifacts/cifar10/v2", "artifact-version-dark"),
            ($"p/{slug}/artifacts/cifar10/compare?from=v1&to=v2", "artifact-compare-dark"),
        })
        {
            await artifacts.OpenAsync(path, "Vision");
            await fixture.ScreenshotAsync(page, name);
        }

        await page.Context.CloseAsync();
    }


    private async Task<HttpClient> ApiClientAsync(ClaimsPrincipal owner)
    {
        var token = await fixture.Services.GetRequiredService<PersonalAccessTokenService>()
            .CreateAsync(owner, new NewPersonalAccessToken("e2e artifacts", TokenScopes.Read | TokenScopes.Write, 1, []));
        Assert.True(token.Succeeded, token.ErrorMessage);
        var client = new HttpClient { BaseAddress = fixture.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!.Token);
        return client;
    }

    private static async Task<System.Text.Json.JsonElement> PostAsync(HttpClient api, string url, object body)
    {
        using var response = await api.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    /// <summary>Begin, PUT each file, commit: what a training script does.</summary>
    private static async Task UploadAsync(HttpClient api, string slug, string name, Dictionary<string, string> files, object? metadata)
    {
        var contents = files.ToDictionary(f => f.Key, f => System.Text.Encoding.UTF8.GetBytes(f.Value));
        var upload = await PostAsync(api, $"api/v1/projects/{slug}/artifacts/{name}/uploads", new
        {
            files = contents.Select(f => new { path = f.Key, size = f.Value.Length }),
            metadata,
        });
        var id = upload.GetProperty("id").GetString();
        foreach (var file in upload.GetProperty("files").EnumerateArray())
        {
            using var put = await api.PutAsync(
                $"api/v1/uploads/{id}/files/{file.GetProperty("index").GetInt32()}", new ByteArrayContent(contents[file.GetProperty("path").GetString()!]));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await PostAsync(api, $"api/v1/uploads/{id}/commit", new { });
    }
}
