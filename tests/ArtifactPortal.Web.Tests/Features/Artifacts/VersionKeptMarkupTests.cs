using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

/// <summary>
/// A version page's header and Files tab are written from kept markup on server renders (one per key), so whoever gets a
/// key must get the markup it was kept for: two variants with the same key must render the same, and anything shown that
/// differs must give another key.
/// </summary>
public sealed partial class VersionKeptMarkupTests : PortalComponentTestBase
{
    private static readonly string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly Guid ArtifactId = Guid.NewGuid();

    private static readonly ArtifactFileEntry[] Files =
    [
        new("README.md", 42, Hash, "text/markdown"),
        new("model.bin", 5 * 1024 * 1024, "1" + Hash[1..], "application/octet-stream"),
        new("plots/loss.png", 2048, "2" + Hash[1..], "image/png"),
    ];

    private static readonly ArtifactVersionDetails V2 = new(
        "vision", ArtifactId, "resnet", ArtifactType.Model,
        new ArtifactVersionSummary(2, DateTimeOffset.UtcNow.AddDays(-3), "Ada", Files.Length, Files.Sum(f => f.Size), ["latest"], null, null, null),
        new Dictionary<string, JsonElement> { ["lr"] = JsonSerializer.SerializeToElement(0.01) },
        null, Files, new HashSet<string>());

    private static ProjectAccess Access(ProjectRole role) =>
        new(Guid.Empty, "vision", "Vision", ProjectVisibility.Private, IsArchived: false, role, IsSiteAdministrator: false);

    [Fact]
    public void HeaderKey_RolesAliasesDeletionCoverAndAge_SameKeyOnlyForTheSameMarkup()
    {
        var now = Context.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var deleted = V2 with { Version = V2.Version with { DeletedAt = now, DeletedBy = "Ada", DeleteReason = "leaked data" } };
        var variants = new (string Name, ProjectAccess Access, ArtifactVersionDetails Version, string? Cover)[]
        {
            ("owner", Access(ProjectRole.Owner), V2, null),
            ("maintainer", Access(ProjectRole.Maintainer), V2, null),
            ("editor", Access(ProjectRole.Editor), V2, null),
            ("viewer", Access(ProjectRole.Viewer), V2, null),
            ("another alias", Access(ProjectRole.Owner), V2 with { Version = V2.Version with { Aliases = ["latest", "best"] } }, null),
            ("deleted", Access(ProjectRole.Owner), deleted, null),
            ("cover", Access(ProjectRole.Owner), V2, "3" + Hash[1..]),
            ("first version", Access(ProjectRole.Owner), V2 with { Version = V2.Version with { Number = 1 } }, null),
            ("dataset", Access(ProjectRole.Owner), V2 with { Type = ArtifactType.Dataset }, null),
            ("renamed creator", Access(ProjectRole.Owner), V2 with { Version = V2.Version with { CreatedBy = "Ada L." } }, null),
            ("older", Access(ProjectRole.Owner), V2 with { Version = V2.Version with { CreatedAt = now.AddDays(-40) } }, null),
        };

        var rendered = variants.Select(v => (
            v.Name,
            Key: VersionHeader.PrerenderKey(v.Access, v.Version, v.Cover, now),
            Markup: Normalize(Context.Render<VersionHeader>(p => p.Add(h => h.Access, v.Access).Add(h => h.Version, v.Version).Add(h => h.CoverSha256, v.Cover)).Markup)))
            .ToList();

        AssertSameKeyOnlyForSameMarkup(rendered);
        // Owners and Maintainers see the same actions here and share one kept header.
        Assert.Equal(rendered[0].Key, rendered[1].Key);
    }

    [Fact]
    public void FilesTabKey_SelectionPreviewThumbnailsAndVersion_SameKeyOnlyForTheSameMarkup()
    {
        Context.Render<MudPopoverProvider>();
        var readme = Files[0];
        var markdown = new MarkdownPreview(readme.Path, readme.Size, "# Hello");
        var noThumbnails = new Dictionary<string, string>();
        var thumbnails = new Dictionary<string, string> { ["plots/loss.png"] = "p/vision/thumbnails/abc" };
        var recreated = V2 with { ArtifactId = Guid.NewGuid(), Files = [.. Files.Take(1)] };
        var variants = new (string Name, ArtifactVersionDetails Version, IReadOnlyDictionary<string, string> Thumbnails, ArtifactFileEntry? Selected, FilePreview? Preview)[]
        {
            ("readme", V2, noThumbnails, readme, markdown),
            ("readme again", V2, new Dictionary<string, string>(), readme, new MarkdownPreview(readme.Path, readme.Size, "# Hello")),
            ("loading", V2, noThumbnails, readme, null),
            ("thumbnail", V2, thumbnails, readme, markdown),
            ("model", V2, noThumbnails, Files[1], new UnavailablePreview(Files[1].Path, Files[1].Size, "There is no preview for this kind of file.")),
            ("read failed", V2, noThumbnails, readme, new UnavailablePreview(readme.Path, readme.Size, "Could not read this Markdown file: the disk failed.", IsError: true)),
            ("read failed otherwise", V2, noThumbnails, readme, new UnavailablePreview(readme.Path, readme.Size, "Could not read this Markdown file: cut short.", IsError: true)),
            ("nothing selected", V2, noThumbnails, null, null),
            ("artifact made again", recreated, noThumbnails, readme, markdown),
        };

        var rendered = variants.Select(v => (
            v.Name,
            Key: VersionFilesTab.PrerenderKey(v.Version, v.Thumbnails, v.Selected, v.Preview),
            Markup: Normalize(Context.Render<VersionFilesTab>(p => p
                .Add(t => t.Version, v.Version).Add(t => t.Thumbnails, v.Thumbnails).Add(t => t.Selected, v.Selected).Add(t => t.Preview, v.Preview)).Markup)))
            .ToList();

        AssertSameKeyOnlyForSameMarkup(rendered);
        Assert.Equal(rendered[0].Key, rendered[1].Key);
    }

    /// <summary>Same key, same markup; and every variant but the second (the first's twin) shows something the others do not.</summary>
    private static void AssertSameKeyOnlyForSameMarkup(List<(string Name, string Key, string Markup)> rendered)
    {
        Assert.Equal(rendered.Count - 1, rendered.Select(r => r.Markup).Distinct().Count());
        foreach (var a in rendered)
        {
            foreach (var b in rendered.Where(b => b.Key == a.Key))
            {
                Assert.True(a.Markup == b.Markup, $"'{a.Name}' and '{b.Name}' share a key but render differently.");
            }
        }
    }

    // Event handler numbers and generated element ids differ between any two renders, kept or not.
    private static string Normalize(string markup) => GeneratedAttributes().Replace(markup, "");

    [GeneratedRegex(@"\s(blazor:[A-Za-z]+(:[A-Za-z]+)?|id|for|aria-controls|aria-labelledby|aria-describedby)=""[^""]*""")]
    private static partial Regex GeneratedAttributes();
}
