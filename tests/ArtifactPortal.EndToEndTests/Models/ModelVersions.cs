using System.Security.Claims;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.EndToEndTests.Models;

/// <summary>Model versions written as a commit leaves them: the model pages compare metadata and need no file contents.</summary>
internal static class ModelVersions
{
    public static async Task AddAsync(PortalFixture fixture, ClaimsPrincipal creator, string slug, string model, string metadataJson)
    {
        await using var db = await fixture.Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var projectId = await db.Projects.Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync();
        var artifact = await db.Artifacts.SingleAsync(a => a.ProjectId == projectId && a.Name == model);
        var now = DateTimeOffset.UtcNow;
        var version = new ArtifactVersion
        {
            Id = Guid.NewGuid(),
            ArtifactId = artifact.Id,
            Number = ++artifact.LastVersionNumber,
            CreatedAt = now,
            CreatedByUserId = creator.FindFirstValue(ClaimTypes.NameIdentifier)!,
            MetadataJson = metadataJson,
            FileCount = 1,
            TotalSize = 1024,
            Files = [new ArtifactFile { Path = "model.onnx", Size = 1024, Sha256 = new string('a', 64), MediaType = "application/octet-stream" }],
        };
        db.ArtifactVersions.Add(version);
        artifact.VersionCount++;
        artifact.LatestVersionSize = version.TotalSize;
        artifact.UpdatedAt = now;
        artifact.ConcurrencyStamp = Guid.NewGuid();
        db.ArtifactAliases.RemoveRange(db.ArtifactAliases.Where(a => a.ArtifactId == artifact.Id && a.Name == ArtifactNames.Latest));
        db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifact.Id, Name = ArtifactNames.Latest, VersionId = version.Id, UpdatedAt = now });
        await db.SaveChangesAsync();
    }
}
