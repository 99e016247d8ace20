using System.Buffers.Text;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Sharing;

/// <summary>External read-only links: /s/{secret} and the file, view and zip endpoints behind it.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ShareLinkTests(PortalFixture fixture)
{
    private static readonly byte[] Weights = ArtifactScenario.Text("weights of the shared model");
    private static readonly byte[] Chart = ArtifactScenario.Text("<!doctype html><p>loss</p>");

    [Theory, DatabaseProviders]
    public async Task CreateAsync_EditorRefusedMaintainerAllowed_SecretStoredOnlyHashedAndAudited(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var links = s.Portal.Service<ShareLinkService>();

        await Assert.ThrowsAsync<PortalAccessDeniedException>(() =>
            links.CreateAsync(s.Editor.Principal, s.Slug, "shared-model", 1, new NewShareLink(TimeSpan.FromDays(1), AllowDownload: true)));
        var created = await links.CreateAsync(
            s.Maintainer.Principal, s.Slug, "shared-model", 1, new NewShareLink(TimeSpan.FromDays(7), AllowDownload: true, "for ACME"));

        Assert.True(created.Succeeded, created.ErrorMessage);
        var secret = created.Value!.Secret;
        Assert.True(Base64Url.DecodeFromChars(secret).Length * 8 >= 128, "The secret carries at least 128 random bits.");
        var stored = await s.Portal.QueryAsync(db => db.ShareLinks.AsNoTracking().SingleAsync(l => l.Id == created.Value.Link.Id));
        Assert.Equal(LinkSecret.Hash(secret), stored.SecretHash);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(stored), StringComparison.Ordinal);
        Assert.Equal((true, "for ACME"), (stored.AllowDownload, stored.Note));
        Assert.Equal(created.Value.Link.Id, Assert.Single(await links.ListAsync(s.Maintainer.Principal, s.Slug)).Id);
        Assert.Single(await s.Portal.AuditAsync(s.ProjectId),
            e => e.Action == AuditActions.ShareLinkCreated && e.ActorUserId == s.Maintainer.Id && e.Target == $"{s.Slug}/shared-model:v1");
    }

    [Theory, DatabaseProviders]
    public async Task SharedPage_Anonymous_ShowsOnlyThatVersionAndCountsTheView(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var secret = await CreateLinkAsync(s, allowDownload: false);
        using var anonymous = s.Portal.CreateBrowser();

        var page = await anonymous.OpenAsync($"/s/{secret}");

        Assert.NotNull(page.Document.QuerySelector("[data-testid=shared-version]"));
        Assert.Contains("shared-model", page.Document.QuerySelector("[data-testid=version-title]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("v1", page.Document.QuerySelector("[data-testid=version-title]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("learning_rate", page.Text, StringComparison.Ordinal);
        Assert.Contains("weights/model.bin", page.Text, StringComparison.Ordinal);
        // Nothing about the project: not its name, slug, people or other artifacts; no downloads either.
        Assert.DoesNotContain(s.ProjectName, page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Slug, page.Document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("other-artifact", page.Document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Owner.Email, page.Text, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("[data-testid=download-zip]"));

        var link = Assert.Single(await s.Portal.Service<ShareLinkService>().ListAsync(s.Maintainer.Principal, s.Slug));
        Assert.Equal(1, link.UseCount);
        Assert.NotNull(link.LastUsedAt);
        Assert.Single(await s.Portal.AuditAsync(s.ProjectId), e => e.Action == AuditActions.ShareLinkUsed && e.ActorUserId == null);
    }

    [Theory, DatabaseProviders]
    public async Task Downloads_AllowedOnlyWhenTheLinkAllowsThem(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var allowed = await CreateLinkAsync(s, allowDownload: true);
        var listOnly = await CreateLinkAsync(s, allowDownload: false);
        using var anonymous = s.Portal.CreateBrowser();

        using var file = await anonymous.Client.GetAsync($"/s/{allowed}/files/weights/model.bin");
        using var zip = await anonymous.Client.GetAsync($"/s/{allowed}/zip");
        using var view = await anonymous.Client.GetAsync($"/s/{allowed}/view/plots/loss.html");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(Weights, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        using (var archive = new ZipArchive(new MemoryStream(await zip.Content.ReadAsByteArrayAsync())))
        {
            Assert.Equal(["plots/loss.html", "weights/model.bin"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }

        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal(["sandbox allow-scripts"], view.Headers.GetValues("Content-Security-Policy"));
        Assert.NotNull((await anonymous.OpenAsync($"/s/{allowed}")).Document.QuerySelector("[data-testid=download-zip]"));

        foreach (var path in new[] { $"/s/{listOnly}/files/weights/model.bin", $"/s/{listOnly}/zip", $"/s/{listOnly}/view/plots/loss.html",
                     $"/s/{allowed}/files/not-there.bin" })
        {
            using var refused = await anonymous.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("weights of the shared model", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Downloads are not page views.
        Assert.All(await s.Portal.Service<ShareLinkService>().ListAsync(s.Maintainer.Principal, s.Slug), l => Assert.Equal(l.AllowDownload ? 1 : 0, l.UseCount));
    }

    [Theory, DatabaseProviders]
    public async Task ExpiredRevokedOrUnknownLink_ReadsTheSameEverywhere(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        var expired = await CreateLinkAsync(s, allowDownload: true);
        var revoked = await CreateLinkAsync(s, allowDownload: true);
        var links = s.Portal.Service<ShareLinkService>();
        var expiredHash = LinkSecret.Hash(expired);
        await s.Portal.ChangeDatabaseAsync(async db =>
            (await db.ShareLinks.SingleAsync(l => l.SecretHash == expiredHash)).ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
        var revokedHash = LinkSecret.Hash(revoked);
        var revokedId = await s.Portal.QueryAsync(db => db.ShareLinks.Where(l => l.SecretHash == revokedHash).Select(l => l.Id).SingleAsync());
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => links.RevokeAsync(s.Editor.Principal, s.Slug, revokedId));
        await links.RevokeAsync(s.Maintainer.Principal, s.Slug, revokedId);
        using var anonymous = s.Portal.CreateBrowser();

        foreach (var secret in new[] { expired, revoked, LinkSecret.Create().Token })
        {
            var page = await anonymous.OpenAsync($"/s/{secret}");
            Assert.NotNull(page.Document.QuerySelector("[data-testid=share-link-invalid]"));
            Assert.Contains("This link is no longer valid", page.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("shared-model", page.Text, StringComparison.Ordinal);
            using var file = await anonymous.Client.GetAsync($"/s/{secret}/files/weights/model.bin");
            using var zip = await anonymous.Client.GetAsync($"/s/{secret}/zip");
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (file.StatusCode, zip.StatusCode));
        }

        var listed = await links.ListAsync(s.Maintainer.Principal, s.Slug);
        Assert.All(listed, l => Assert.False(l.IsActive(DateTimeOffset.UtcNow)));
        Assert.All(listed, l => Assert.Equal(0, l.UseCount));
        Assert.Single(await s.Portal.AuditAsync(s.ProjectId), e => e.Action == AuditActions.ShareLinkRevoked && e.ActorUserId == s.Maintainer.Id);
        Assert.DoesNotContain(await s.Portal.AuditAsync(s.ProjectId), e => e.Action == AuditActions.ShareLinkUsed);
    }

    [Theory, DatabaseProviders]
    public async Task ShareLinksPage_MaintainerSeesLinksEditorIsNotAllowed(DatabaseProvider provider)
    {
        var s = await ScenarioAsync(provider);
        await CreateLinkAsync(s, allowDownload: false, note: "for the reviewers");
        using var maintainer = s.Portal.CreateBrowser();
        await maintainer.LogInSuccessfullyAsync(s.Maintainer.Email);
        using var editor = s.Portal.CreateBrowser();
        await editor.LogInSuccessfullyAsync(s.Editor.Email);

        var page = await maintainer.OpenAsync($"/p/{s.Slug}/share-links");
        var refused = await editor.OpenAsync($"/p/{s.Slug}/share-links");

        Assert.Contains("for the reviewers", page.Text, StringComparison.Ordinal);
        Assert.Equal("Active", page.Document.QuerySelector("[data-testid=share-link-status]")?.TextContent.Trim());
        Assert.Equal($"p/{s.Slug}/artifacts/shared-model/v1", page.Document.QuerySelector("[data-testid=share-link-version]")?.GetAttribute("href"));
        Assert.NotNull(refused.Document.QuerySelector("[data-testid=not-allowed]"));
        Assert.DoesNotContain("for the reviewers", refused.Text, StringComparison.Ordinal);
    }

    private sealed record Scenario(
        PortalWebApplicationFactory Portal, TestUser Owner, TestUser Maintainer, TestUser Editor, string Slug, string ProjectName, Guid ProjectId);

    private async Task<Scenario> ScenarioAsync(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync("share-owner");
        var maintainer = await portal.CreateUserAsync("share-maintainer");
        var editor = await portal.CreateUserAsync("share-editor");
        var project = await portal.CreateProjectAsync(owner, ProjectVisibility.Private);
        await portal.AddMemberAsync(project.Slug, maintainer.Principal, ProjectRole.Maintainer);
        await portal.AddMemberAsync(project.Slug, editor.Principal, ProjectRole.Editor);
        using var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "shared-model", "Model");
        await client.UploadVersionAsync(
            project.Slug, "shared-model", new Dictionary<string, byte[]> { ["weights/model.bin"] = Weights, ["plots/loss.html"] = Chart },
            new Dictionary<string, JsonElement> { ["learning_rate"] = JsonSerializer.SerializeToElement(0.001) });
        await client.CreateArtifactAsync(project.Slug, "other-artifact");
        return new Scenario(portal, owner, maintainer, editor, project.Slug, project.Name, project.Id);
    }

    private static async Task<string> CreateLinkAsync(Scenario s, bool allowDownload, string? note = null)
    {
        var created = await s.Portal.Service<ShareLinkService>().CreateAsync(
            s.Maintainer.Principal, s.Slug, "shared-model", 1, new NewShareLink(TimeSpan.FromDays(1), allowDownload, note));
        Assert.True(created.Succeeded, created.ErrorMessage);
        return created.Value!.Secret;
    }
}
