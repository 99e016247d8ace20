using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

/// <summary>
/// Projects and artifacts for page tests: artifacts through the real ArtifactService; versions written straight to the
/// database as a commit leaves them (the upload path needs blob storage, which component tests do not have).
/// </summary>
internal sealed class ArtifactTestData(IServiceProvider services)
{
    private DateTimeOffset _clock = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public async Task<string> CreateProjectAsync(ClaimsPrincipal owner, string slug)
    {
        var result = await services.GetRequiredService<ProjectService>().CreateAsync(owner, new NewProject(slug, slug, "", ProjectVisibility.Private));
        Assert.True(result.Succeeded, result.ErrorMessage);
        return slug;
    }

    public async Task AddMemberAsync(ClaimsPrincipal owner, string slug, string userName, ProjectRole role)
    {
        var result = await services.GetRequiredService<ProjectMemberService>().AddAsync(owner, slug, userName, role);
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    public async Task CreateArtifactAsync(ClaimsPrincipal owner, string slug, string name, ArtifactType type = ArtifactType.Dataset, params string[] tags)
    {
        var result = await services.GetRequiredService<ArtifactService>().CreateAsync(owner, slug, new NewArtifact(name, type, "", tags));
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    /// <summary>Commits the next version with these files (path → content) and moves <c>latest</c> to it.</summary>
    public async Task<int> AddVersionAsync(
        ClaimsPrincipal creator, string slug, string name, IReadOnlyDictionary<string, string> files, string metadataJson = "{}")
    {
        _clock = _clock.AddHours(1);
        await using var db = await services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var projectId = await db.Projects.Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync();
        var artifact = await db.Artifacts.SingleAsync(a => a.ProjectId == projectId && a.Name == name);
        var version = new ArtifactVersion
        {
            Id = Guid.NewGuid(),
            ArtifactId = artifact.Id,
            Number = ++artifact.LastVersionNumber,
            CreatedAt = _clock,
            CreatedByUserId = creator.FindFirstValue(ClaimTypes.NameIdentifier)!,
            MetadataJson = metadataJson,
            FileCount = files.Count,
            TotalSize = files.Values.Sum(c => (long)Encoding.UTF8.GetByteCount(c)),
            Files = [.. files.Select(f => new ArtifactFile { Path = f.Key, Size = Encoding.UTF8.GetByteCount(f.Value), Sha256 = Sha256(f.Value), MediaType = MediaTypes.For(f.Key) })],
        };
        db.ArtifactVersions.Add(version);
        artifact.VersionCount++;
        artifact.LatestVersionSize = version.TotalSize;
        artifact.UpdatedAt = _clock;
        artifact.ConcurrencyStamp = Guid.NewGuid();
        db.ArtifactAliases.RemoveRange(db.ArtifactAliases.Where(a => a.ArtifactId == artifact.Id && a.Name == ArtifactNames.Latest));
        db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifact.Id, Name = ArtifactNames.Latest, VersionId = version.Id, UpdatedAt = _clock });
        await db.SaveChangesAsync();
        return version.Number;
    }

    public async Task MarkDamagedAsync(string content)
    {
        await using var db = await services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        db.DamagedBlobs.Add(new DamagedBlob { Sha256 = Sha256(content), DetectedAt = _clock });
        await db.SaveChangesAsync();
    }

    public static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
