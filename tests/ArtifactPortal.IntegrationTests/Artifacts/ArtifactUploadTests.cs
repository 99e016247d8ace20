using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Artifacts;

/// <summary>Bad input to the staged upload: each gets a clear error, keeps nothing, and loses nothing else.</summary>
[Collection(PortalCollectionDefinition.Name)]
public sealed class ArtifactUploadTests(PortalFixture fixture)
{
    public static TheoryData<DatabaseProvider, string, string> BadPaths() => new()
    {
        { DatabaseProvider.Sqlite, "../escape.txt", "'..'" },
        { DatabaseProvider.Postgres, "data/../../etc/passwd", "'..'" },
        { DatabaseProvider.Sqlite, "/etc/passwd", "relative" },
        { DatabaseProvider.Sqlite, "C:/windows/win.ini", "relative" },
        { DatabaseProvider.Sqlite, "data\\train.csv", "'/'" },
        { DatabaseProvider.Postgres, "nul\0byte.txt", "control characters" },
        { DatabaseProvider.Sqlite, "bell\u0007.txt", "control characters" },
        { DatabaseProvider.Sqlite, "data//train.csv", "empty" },
        { DatabaseProvider.Sqlite, new string('a', 4096), "at most 1024" },
        { DatabaseProvider.Sqlite, new string('b', 300) + "/x.csv", "255 bytes" },
        { DatabaseProvider.Sqlite, "", "needs a path" },
    };

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Begin_BadPath_Answers400NamingTheProblemAndKeepsNoUpload(DatabaseProvider provider, string path, string expected)
    {
        var (portal, client, slug) = await ProjectWithArtifactAsync(provider, "bad-path");

        using var response = await client.PostAsJsonAsync(
            $"{ArtifactScenario.ArtifactsUrl(slug)}/data/uploads", new BeginUpload([new UploadFileRequest(path, 1)]), ArtifactScenario.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await UploadCountAsync(portal, slug));
    }

    [Theory, DatabaseProviders]
    public async Task Begin_DuplicatePathsIgnoringCase_Answers400(DatabaseProvider provider)
    {
        var (portal, client, slug) = await ProjectWithArtifactAsync(provider, "dup-path");

        using var exact = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data/uploads",
            new BeginUpload([new UploadFileRequest("a.csv", 1), new UploadFileRequest("a.csv", 2)]), ArtifactScenario.Json);
        using var caseOnly = await client.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data/uploads",
            new BeginUpload([new UploadFileRequest("Data/A.csv", 1), new UploadFileRequest("data/a.csv", 2)]), ArtifactScenario.Json);

        Assert.Equal(HttpStatusCode.BadRequest, exact.StatusCode);
        Assert.Contains("same path (ignoring case)", await exact.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, caseOnly.StatusCode);
        Assert.Contains("'data/a.csv'", await caseOnly.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await UploadCountAsync(portal, slug));
    }

    [Theory, DatabaseProviders]
    public async Task Commit_ZeroByteFile_IsCompleteWithoutAPutAndDownloadsEmpty(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "zero");

        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["_SUCCESS"] = [] });
        using var commit = await client.CommitAsync(upload.Id);

        Assert.True(Assert.Single(upload.Files).Complete);
        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        var version = await commit.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json);
        var file = Assert.Single(version!.Files!);
        Assert.Equal(BlobHash.Empty, file.Sha256);
        Assert.Empty(await client.GetByteArrayAsync(file.DownloadUrl));
    }

    [Theory, DatabaseProviders]
    public async Task Put_WithTheContentTypeCurlSends_StoresTheBytes(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "curl");
        var content = ArtifactScenario.Text("a=1&b=2, raw bytes all the same");
        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["x.txt"] = content });

        // `curl --data-binary @file` labels the body application/x-www-form-urlencoded; the body is the file whatever its label.
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var put = await client.PutAsync($"{ApiEndpoints.Prefix}/uploads/{upload.Id}/files/0", body);
        using var commit = await client.CommitAsync(upload.Id);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        var version = await commit.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json);
        Assert.Equal(content, await client.GetByteArrayAsync(Assert.Single(version!.Files!).DownloadUrl));
    }

    [Theory, DatabaseProviders]
    public async Task Put_Sha256ThatDoesNotMatch_Answers422AndTheFileStaysIncomplete(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "bad-hash");
        var content = ArtifactScenario.Text("real content");
        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["x.txt"] = content });

        using var request = new HttpRequestMessage(HttpMethod.Put, $"{ApiEndpoints.Prefix}/uploads/{upload.Id}/files/0") { Content = new ByteArrayContent(content) };
        request.Headers.Add(ArtifactEndpoints.Sha256Header, ArtifactScenario.Sha256(ArtifactScenario.Text("other content")));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("nothing was stored", await response.ProblemDetailAsync(), StringComparison.Ordinal);
        var status = await client.GetFromJsonAsync<UploadStatus>($"{ApiEndpoints.Prefix}/uploads/{upload.Id}", ArtifactScenario.Json);
        Assert.False(Assert.Single(status!.Files).Complete);
    }

    [Theory, DatabaseProviders]
    public async Task Commit_WithAFileMissing_Answers400NamingItAndCreatesNoVersion(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "missing");
        var files = new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("a"), ["b.txt"] = ArtifactScenario.Text("b") };
        var upload = await client.BeginUploadAsync(slug, "data", files);
        using (var put = await client.PutFileAsync(upload.Id, 0, files["a.txt"]))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var commit = await client.CommitAsync(upload.Id);

        Assert.Equal(HttpStatusCode.BadRequest, commit.StatusCode);
        Assert.Contains("1 of 2 files are not complete yet: 'b.txt'", await commit.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetFromJsonAsync<ApiArtifact>($"{ArtifactScenario.ArtifactsUrl(slug)}/data", ArtifactScenario.Json))!.VersionCount);
    }

    [Theory, DatabaseProviders]
    public async Task Put_ShorterOrLongerThanDeclared_Answers400AndKeepsNothing(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "length");
        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["x.bin"] = new byte[100] });

        using var shorter = await client.PutFileAsync(upload.Id, 0, new byte[60]);
        using var longer = await client.PutFileAsync(upload.Id, 0, new byte[140]);

        Assert.Equal(HttpStatusCode.BadRequest, shorter.StatusCode);
        Assert.Contains("received 60 bytes but 100 were declared", await shorter.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        Assert.Contains("more than the 100 bytes declared", await longer.ProblemDetailAsync(), StringComparison.Ordinal);
        var status = await client.GetFromJsonAsync<UploadStatus>($"{ApiEndpoints.Prefix}/uploads/{upload.Id}", ArtifactScenario.Json);
        Assert.False(Assert.Single(status!.Files).Complete);
    }

    [Theory, DatabaseProviders]
    public async Task Commit_Twice_SecondAnswers409WithTheVersionAndNoSecondVersionExists(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "twice");
        var files = new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("a") };
        var upload = await client.BeginUploadAsync(slug, "data", files);
        (await client.PutFileAsync(upload.Id, 0, files["a.txt"])).Dispose();

        using var first = await client.CommitAsync(upload.Id);
        using var second = await client.CommitAsync(upload.Id);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already committed as v1", await second.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await client.GetFromJsonAsync<ApiArtifact>($"{ArtifactScenario.ArtifactsUrl(slug)}/data", ArtifactScenario.Json))!.VersionCount);
    }

    [Theory, DatabaseProviders]
    public async Task Commit_ConcurrentUploads_GetDistinctConsecutiveNumbers(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "race");
        var uploads = new List<UploadStatus>();
        for (var i = 0; i < 4; i++)
        {
            var files = new Dictionary<string, byte[]> { ["n.txt"] = ArtifactScenario.Text($"run {i}") };
            var upload = await client.BeginUploadAsync(slug, "data", files);
            (await client.PutFileAsync(upload.Id, 0, files["n.txt"])).Dispose();
            uploads.Add(upload);
        }

        var responses = await Task.WhenAll(uploads.Select(u => client.CommitAsync(u.Id)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json))!.Number));
        Assert.Equal([1, 2, 3, 4], numbers.Order());
        var latest = await client.GetFromJsonAsync<ApiVersion>($"{ArtifactScenario.ArtifactsUrl(slug)}/data/versions/latest", ArtifactScenario.Json);
        Assert.Equal(4, latest!.Number);
    }

    [Theory, DatabaseProviders]
    public async Task Upload_KilledHalfway_LeavesNoVersionAndTheRetryOfTheFileSucceeds(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "killed");
        var content = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(content);
        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["weights.bin"] = content }, sendHashes: true);

        // The client dies after 1 MB: the request body ends early and the connection goes away.
        using (var aborted = new CancellationTokenSource())
        {
            var body = new StreamContent(new DyingStream(content, 1024 * 1024, aborted));
            await Assert.ThrowsAnyAsync<Exception>(() => client.PutAsync($"{ApiEndpoints.Prefix}/uploads/{upload.Id}/files/0", body, aborted.Token));
        }

        var afterKill = await client.GetFromJsonAsync<ApiArtifact>($"{ArtifactScenario.ArtifactsUrl(slug)}/data", ArtifactScenario.Json);
        Assert.Equal(0, afterKill!.VersionCount);
        using (var retry = await client.PutFileAsync(upload.Id, 0, content))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }

        using var commit = await client.CommitAsync(upload.Id);
        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        var file = Assert.Single((await commit.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json))!.Files!);
        Assert.Equal(ArtifactScenario.Sha256(content), file.Sha256);
    }

    [Theory, DatabaseProviders]
    public async Task PutChunks_InOrderWithARepeatAndAResumeAfterAGap_AssemblesTheExactFile(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "chunks");
        var content = new byte[2_500_000];
        Random.Shared.NextBytes(content);
        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["big.bin"] = content }, sendHashes: true);
        const int chunk = 1_000_000;

        var first = await PutChunkAsync(client, upload.Id, content, 0, chunk);
        var repeated = await PutChunkAsync(client, upload.Id, content, 0, chunk);
        using var gap = await SendChunkAsync(client, upload.Id, content, 2 * chunk, content.Length - (2 * chunk));
        var resume = await client.GetFromJsonAsync<UploadStatus>($"{ApiEndpoints.Prefix}/uploads/{upload.Id}", ArtifactScenario.Json);
        await PutChunkAsync(client, upload.Id, content, chunk, chunk);
        var last = await PutChunkAsync(client, upload.Id, content, 2 * chunk, content.Length - (2 * chunk));

        Assert.Equal(chunk, first.Received);
        Assert.Equal(chunk, repeated.Received);
        Assert.Equal(HttpStatusCode.Conflict, gap.StatusCode);
        Assert.Contains($"send the chunk starting at byte {chunk}", await gap.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(chunk, Assert.Single(resume!.Files).Received);
        Assert.True(last.Complete);
        Assert.Equal(ArtifactScenario.Sha256(content), last.Sha256);
        using var commit = await client.CommitAsync(upload.Id);
        var file = Assert.Single((await commit.Content.ReadFromJsonAsync<ApiVersion>(ArtifactScenario.Json))!.Files!);
        Assert.Equal(content, await client.GetByteArrayAsync(file.DownloadUrl));
    }

    [Theory, DatabaseProviders]
    public async Task Download_Range_AnswersThePartialContent(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "range");
        var content = ArtifactScenario.Text("0123456789abcdef");
        var version = await client.UploadVersionAsync(slug, "data", new Dictionary<string, byte[]> { ["hex.txt"] = content });
        var url = Assert.Single(version.Files!).DownloadUrl;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(10, 15);
        using var partial = await client.SendAsync(request);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{ArtifactScenario.Sha256(content)}\""));
        using var notModified = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("abcdef", await partial.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory, DatabaseProviders]
    public async Task Tokens_ReadScopeOrOtherProject_CannotWrite(DatabaseProvider provider)
    {
        var (portal, writer, slug) = await ProjectWithArtifactAsync(provider, "token-scope");
        var owner = await portal.UserAsync((await writer.GetFromJsonAsync<ApiMe>($"{ApiEndpoints.Prefix}/me", ArtifactScenario.Json))!.Email!);
        var other = await portal.CreateProjectAsync(owner);
        using var readOnly = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read)).Token);
        using var otherProject = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write, other.Id)).Token);
        var request = new BeginUpload([new UploadFileRequest("a.txt", 1)]);

        using var readOnlyWrite = await readOnly.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data/uploads", request, ArtifactScenario.Json);
        using var readOnlyRead = await readOnly.GetAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data");
        using var wrongProject = await otherProject.PostAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data/uploads", request, ArtifactScenario.Json);
        using var wrongProjectRead = await otherProject.GetAsync($"{ArtifactScenario.ArtifactsUrl(slug)}/data");

        Assert.Equal(HttpStatusCode.Forbidden, readOnlyWrite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readOnlyRead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongProject.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongProjectRead.StatusCode);
        Assert.Equal(0, await UploadCountAsync(portal, slug));
    }

    [Theory, DatabaseProviders]
    public async Task Upload_OfSomeoneElse_IsNotFoundForAnotherMember(DatabaseProvider provider)
    {
        var (portal, client, slug) = await ProjectWithArtifactAsync(provider, "not-mine");
        var upload = await client.BeginUploadAsync(slug, "data", new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("a") });
        var colleague = await portal.CreateUserAsync("colleague");
        await portal.AddMemberAsync(slug, colleague.Principal, ProjectRole.Maintainer);
        using var other = portal.CreateTokenClient((await portal.CreateTokenAsync(colleague, TokenScopes.Read | TokenScopes.Write)).Token);

        using var read = await other.GetAsync($"{ApiEndpoints.Prefix}/uploads/{upload.Id}");
        using var put = await other.PutFileAsync(upload.Id, 0, ArtifactScenario.Text("b"));
        using var commit = await other.CommitAsync(upload.Id);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], [read.StatusCode, put.StatusCode, commit.StatusCode]);
    }

    [Theory, DatabaseProviders]
    public async Task Aliases_SetMoveCollideAndReserved_BehaveAndAreAudited(DatabaseProvider provider)
    {
        var (portal, client, slug) = await ProjectWithArtifactAsync(provider, "aliases");
        await client.UploadVersionAsync(slug, "data", new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("1") });
        await client.UploadVersionAsync(slug, "data", new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("2") });
        var aliases = $"{ArtifactScenario.ArtifactsUrl(slug)}/data/aliases";

        using var set = await client.PutAsJsonAsync($"{aliases}/best", new ApiSetAlias(1), ArtifactScenario.Json);
        using var moved = await client.PutAsJsonAsync($"{aliases}/best", new ApiSetAlias(2), ArtifactScenario.Json);
        using var latest = await client.PutAsJsonAsync($"{aliases}/latest", new ApiSetAlias(1), ArtifactScenario.Json);
        using var numeric = await client.PutAsJsonAsync($"{aliases}/v7", new ApiSetAlias(1), ArtifactScenario.Json);
        using var missing = await client.PutAsJsonAsync($"{aliases}/baseline", new ApiSetAlias(9), ArtifactScenario.Json);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, latest.StatusCode);
        Assert.Contains("'latest' always points at the newest version", await latest.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, numeric.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var best = await client.GetFromJsonAsync<ApiVersion>($"{ArtifactScenario.ArtifactsUrl(slug)}/data/versions/best", ArtifactScenario.Json);
        Assert.Equal(2, best!.Number);
        var projectId = await portal.ProjectIdAsync(slug);
        Assert.Contains(await portal.AuditAsync(projectId), e => e.Target == "data:best" && e.Details == "moved from v1 to v2");
    }

    [Theory, DatabaseProviders]
    public async Task DeleteVersion_Latest_MovesLatestBackAndNeedsAReason(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "delete");
        await client.UploadVersionAsync(slug, "data", new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("1") });
        await client.UploadVersionAsync(slug, "data", new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("2") });
        var v2 = $"{ArtifactScenario.ArtifactsUrl(slug)}/data/versions/v2";

        using var withoutReason = await client.DeleteAsync(v2);
        using var deleted = await client.DeleteAsync($"{v2}?reason=leaked%20test%20labels");

        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var latest = await client.GetFromJsonAsync<ApiVersion>($"{ArtifactScenario.ArtifactsUrl(slug)}/data/versions/latest", ArtifactScenario.Json);
        Assert.Equal(1, latest!.Number);
        var gone = await client.GetFromJsonAsync<ApiVersion>(v2, ArtifactScenario.Json);
        Assert.Equal("leaked test labels", gone!.Deleted!.Reason);
        Assert.Empty(gone.Files!);
        var artifact = await client.GetFromJsonAsync<ApiArtifact>($"{ArtifactScenario.ArtifactsUrl(slug)}/data", ArtifactScenario.Json);
        Assert.Equal(1, artifact!.VersionCount);
    }

    [Theory, DatabaseProviders]
    public async Task CreateArtifact_DuplicateNameIgnoringCase_Answers400(DatabaseProvider provider)
    {
        var (_, client, slug) = await ProjectWithArtifactAsync(provider, "dup-name");

        using var response = await client.PostAsJsonAsync(ArtifactScenario.ArtifactsUrl(slug), new ApiNewArtifact("DATA", "Model", null, null), ArtifactScenario.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("already has an artifact named 'DATA'", await response.ProblemDetailAsync(), StringComparison.Ordinal);
    }

    private static async Task<UploadFileStatus> PutChunkAsync(HttpClient client, Guid uploadId, byte[] content, int start, int length)
    {
        using var response = await SendChunkAsync(client, uploadId, content, start, length);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<UploadFileStatus>(ArtifactScenario.Json))!;
    }

    private static Task<HttpResponseMessage> SendChunkAsync(HttpClient client, Guid uploadId, byte[] content, int start, int length)
    {
        var body = new ByteArrayContent(content, start, length);
        body.Headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, content.Length);
        return client.PutAsync($"{ApiEndpoints.Prefix}/uploads/{uploadId}/files/0", body);
    }

    private async Task<(PortalWebApplicationFactory Portal, HttpClient Client, string Slug)> ProjectWithArtifactAsync(DatabaseProvider provider, string who)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await portal.CreateUserAsync(who);
        var project = await portal.CreateProjectAsync(owner);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, "data");
        return (portal, client, project.Slug);
    }

    private static async Task<int> UploadCountAsync(PortalWebApplicationFactory portal, string slug)
    {
        var projectId = await portal.ProjectIdAsync(slug);
        return await portal.QueryAsync(db => db.ArtifactUploads.CountAsync(u => u.ProjectId == projectId));
    }

    /// <summary>A request body that sends <c>limit</c> bytes and then dies, like a client killed mid-upload.</summary>
    private sealed class DyingStream(byte[] content, int limit, CancellationTokenSource abort) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= limit)
            {
                abort.Cancel();
                throw new IOException("The client was killed.");
            }

            var n = Math.Min(count, limit - _position);
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
