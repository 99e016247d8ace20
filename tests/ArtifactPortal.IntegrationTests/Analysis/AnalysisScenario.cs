using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Analysis;

/// <summary>A project with a dataset artifact on the shared portal, an Owner token client, and waiting for the real Hangfire jobs.</summary>
internal sealed record AnalysisScenario(PortalWebApplicationFactory Portal, TestUser Owner, string Slug, HttpClient Client) : IDisposable
{
    public const string Artifact = "dataset";

    public static async Task<AnalysisScenario> StartAsync(PortalWebApplicationFactory portal, string who)
    {
        var owner = await portal.CreateUserAsync(who);
        var project = await portal.CreateProjectAsync(owner);
        var client = portal.CreateTokenClient((await portal.CreateTokenAsync(owner, TokenScopes.Read | TokenScopes.Write)).Token);
        await client.CreateArtifactAsync(project.Slug, Artifact);
        return new AnalysisScenario(portal, owner, project.Slug, client);
    }

    public string VersionUrl(int version) => $"{ArtifactScenario.ArtifactsUrl(Slug)}/{Artifact}/versions/v{version}";

    public Task<ApiVersion> UploadAsync(params (string Path, byte[] Content)[] files) =>
        Client.UploadVersionAsync(Slug, Artifact, files.ToDictionary(f => f.Path, f => f.Content));

    public async Task<ApiVersionStatistics> StatisticsAsync(int version)
    {
        using var response = await Client.GetAsync($"{VersionUrl(version)}/statistics");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiVersionStatistics>(FileStatisticsJson.Options))!;
    }

    /// <summary>Polls the statistics API, as a script would, until no job of the version is queued or running.</summary>
    public async Task<ApiVersionStatistics> WaitForJobsAsync(int version, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var statistics = await StatisticsAsync(version);
            if (statistics.Jobs.Count > 0 && statistics.Jobs.All(j => j.Status is AnalysisStatus.Succeeded or AnalysisStatus.Failed))
            {
                return statistics;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"The jobs of v{version} did not finish: {string.Join(", ", statistics.Jobs.Select(j => $"{j.Kind} {j.Status} {j.Error}"))}");
            await Task.Delay(250);
        }
    }

    public Task<Guid> VersionIdAsync(int version) =>
        Portal.QueryAsync(db => db.ArtifactVersions.Where(v => v.Number == version
                && db.Artifacts.Any(a => a.Id == v.ArtifactId && a.Name == Artifact && db.Projects.Any(p => p.Id == a.ProjectId && p.Slug == Slug)))
            .Select(v => v.Id).FirstAsync());

    public void Dispose() => Client.Dispose();

    /// <summary>id, an integer, a float with nulls and a category; the values are returned for checking.</summary>
    public static (byte[] Csv, double[] Values) Csv(int rows, double shift = 0, int seed = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,count,value,category\n");
        var values = new List<double>();
        for (var i = 0; i < rows; i++)
        {
            var value = Math.Round(random.NextDouble() * 10 + shift, 3);
            var missing = i % 10 == 3;
            if (!missing)
            {
                values.Add(value);
            }

            text.Append(CultureInfo.InvariantCulture, $"{i},{i % 7},{(missing ? "" : value.ToString(CultureInfo.InvariantCulture))},{(i % 3 == 0 ? "red" : "blue")}\n");
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), [.. values]);
    }

    /// <summary>A real PNG of the given size, made with libvips like a camera export would be.</summary>
    public static byte[] Png(int width, int height)
    {
        using var black = NetVips.Image.Black(width, height, bands: 3);
        using var image = black + new double[] { 200, 80, 40 };
        return image.Cast(NetVips.Enums.BandFormat.Uchar).WriteToBuffer(".png");
    }

    /// <summary>A valid PNG whose header claims 50,000 × 50,000 pixels: a decompression bomb must be refused from the header.</summary>
    public static byte[] PngClaiming50kBy50k()
    {
        var png = Png(16, 16);
        // IHDR: width and height are the big-endian integers at bytes 16..23; its CRC (29..32) must match or decoders stop earlier.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 50_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 50_000);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        return png;
    }
}
