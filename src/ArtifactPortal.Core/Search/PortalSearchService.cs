using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.Core.Search;

public enum SearchHitKind
{
    Project,
    Artifact,
    Version,
}

/// <param name="Path">Site-relative page address, e.g. <c>p/vision/artifacts/cifar10/v3</c>.</param>
public sealed record SearchHit(SearchHitKind Kind, string Title, string Subtitle, string Path);

/// <summary>
/// The app bar's search box: an identifier such as <c>vision/cifar10:v3</c> opens that version; other text finds projects
/// and artifacts by name. Only projects the caller may view are searched, so a hit never reveals a hidden project.
/// </summary>
public sealed class PortalSearchService(IPortalDbContextFactory dbFactory, ArtifactService artifacts)
{
    public const int MaxHits = 10;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(ClaimsPrincipal user, string? text, CancellationToken cancellationToken = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length == 0 || user.UserId() is not { } userId)
        {
            return [];
        }

        var hits = new List<SearchHit>();
        if (term.Contains('/', StringComparison.Ordinal) && ArtifactReference.TryParse(term, out var reference))
        {
            try
            {
                var version = await artifacts.GetVersionAsync(user, reference.ProjectSlug, reference.ArtifactName, reference.Version, cancellationToken)
                    .ConfigureAwait(false);
                hits.Add(new SearchHit(
                    SearchHitKind.Version,
                    version.Identifier,
                    $"{version.Type} · {version.Version.FileCount} files",
                    VersionPath(version.ProjectSlug, version.ArtifactName, version.Version.Number)));
            }
            catch (Exception e) when (e is ProjectNotFoundException or PortalNotFoundException)
            {
                // Not there, or not visible: either way, no hit.
            }
        }

        var lower = term.ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var visible = ProjectService.VisibleTo(db, user, userId);
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower(); the culture overloads are not translatable.
        var projects = await visible.Where(p => p.Name.ToLower().Contains(lower) || p.Slug.Contains(lower))
#pragma warning restore CA1304, CA1311, CA1862
            .OrderByDescending(p => p.LastActivityAt)
            .Take(MaxHits / 2)
            .Select(p => new SearchHit(SearchHitKind.Project, p.Name, p.Slug, "p/" + p.Slug))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var found = await db.Artifacts.AsNoTracking()
            .Where(a => a.NormalizedName.Contains(lower))
            .Join(visible, a => a.ProjectId, p => p.Id, (a, p) => new { a.Name, a.Type, a.UpdatedAt, p.Slug })
            .OrderByDescending(a => a.UpdatedAt)
            .Take(MaxHits)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        hits.AddRange(projects);
        hits.AddRange(found.Select(a => new SearchHit(SearchHitKind.Artifact, a.Name, $"{a.Slug} · {a.Type}", ArtifactPath(a.Slug, a.Name))));
        return [.. hits.Take(MaxHits)];
    }

    public static string ArtifactPath(string slug, string name) => $"p/{Uri.EscapeDataString(slug)}/artifacts/{Uri.EscapeDataString(name)}";

    public static string VersionPath(string slug, string name, int number) => $"{ArtifactPath(slug, name)}/v{number}";
}
