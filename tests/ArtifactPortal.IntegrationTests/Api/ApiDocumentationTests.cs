using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;

namespace ArtifactPortal.IntegrationTests.Api;

[Collection(PortalCollectionDefinition.Name)]
public sealed partial class ApiDocumentationTests(PortalFixture fixture)
{
    [Fact]
    public async Task OpenApiDocument_Anonymous_DescribesTheUploadEndpointsAndTheBearerScheme()
    {
        var portal = await fixture.SharedPortalAsync(DatabaseProvider.Sqlite);
        using var client = portal.CreateClient();

        using var response = await client.GetAsync(ApiDocumentation.DocumentPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        var paths = root.GetProperty("paths");
        var begin = paths.GetProperty("/api/v1/projects/{slug}/artifacts/{name}/uploads").GetProperty("post");
        Assert.Equal("Begin an upload", begin.GetProperty("summary").GetString());
        Assert.Contains("Uploads", begin.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var responses = begin.GetProperty("responses");
        foreach (var status in new[] { "201", "400", "401", "403", "404", "413", "507" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"The begin-upload operation does not list {status}.");
        }

        Assert.True(paths.GetProperty("/api/v1/uploads/{id}/files/{index}").TryGetProperty("put", out var put));
        Assert.True(put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/octet-stream", out _));
        Assert.True(paths.GetProperty("/api/v1/uploads/{id}/commit").TryGetProperty("post", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), p => !p.Name.StartsWith(ApiEndpoints.Prefix, StringComparison.Ordinal));
        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDocumentation.BearerScheme);
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Contains(root.GetProperty("security").EnumerateArray(), r => r.TryGetProperty(ApiDocumentation.BearerScheme, out _));
    }

    [Fact]
    public async Task ReferencePage_Anonymous_ServesItsScriptsFromThePortalUnderTheSiteCsp()
    {
        var portal = await fixture.SharedPortalAsync(DatabaseProvider.Sqlite);
        using var client = portal.CreateClient();

        using var page = await client.GetAsync(ApiDocumentation.ReferencePath);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Assert.Single(CspNonce().Matches(csp)).Groups[1].Value;
        Assert.DoesNotContain("http://", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", csp, StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        // Every script runs under the policy: loaded from the portal itself or inline with the response's nonce.
        Assert.All(scripts, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
        var sources = scripts.Select(tag => ScriptSource().Match(tag)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            Assert.DoesNotContain("//", source, StringComparison.Ordinal);
            using var script = await client.GetAsync(new Uri(new Uri(client.BaseAddress!, ApiDocumentation.ReferencePath + "/"), source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"script-src 'self' 'nonce-([^']+)'")]
    private static partial Regex CspNonce();

    [GeneratedRegex(@"<script\b[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\bsrc=""([^""]+)""")]
    private static partial Regex ScriptSource();
}
