using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Previews;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Components.Shared;
using ArtifactPortal.Web.Features.Analysis;
using ArtifactPortal.Web.Features.Sharing;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>
/// One version: <c>…/v3</c>. Any other last segment (<c>@best</c>, <c>latest</c>, <c>3</c>) is resolved and redirected to
/// its number, so links by alias work and the address bar always names an immutable version.
/// </summary>
public sealed partial class ArtifactVersionPage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private ProjectAccess? _access;
    private ArtifactVersionDetails? _version;
    private (string, string, string)? _loadedFor;
    private ArtifactFileEntry? _selected;
    private FilePreview? _preview;
    private IReadOnlyList<ThumbnailEntry> _thumbnails = [];
    private readonly AnalysisRefresh _analysisRefresh = new();

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required string Name { get; set; }

    /// <summary><c>v3</c>, or an alias (<c>@best</c>, <c>latest</c>) that redirects to its version.</summary>
    [Parameter, EditorRequired]
    public required string Version { get; set; }

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private FilePreviewService Previews { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IBlobStore Blobs { get; set; } = default!;

    [Inject]
    private AnalysisService Analysis { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private string? CoverSha256 => _thumbnails.FirstOrDefault(t => t.Path.Length == 0 && t.Size == 256)?.Sha256;

    /// <summary>Image files' 64 px thumbnails by path, for the file tree.</summary>
    private IReadOnlyDictionary<string, string> FileThumbnails =>
        _thumbnails.Where(t => t.Path.Length > 0 && t.Size == 64).ToDictionary(t => t.Path, t => ThumbnailEndpoints.Url(Slug, t.Sha256), StringComparer.Ordinal);

    private IReadOnlyList<ArtifactFileEntry> DamagedFiles =>
        [.. _version!.Files.Where(f => _version.DamagedSha256.Contains(f.Sha256))];

    private string ZipHref => ArtifactEndpoints.ZipUrl(Slug, _version!.ArtifactName, _version.Version.Number);

    private string CurlCommand =>
        $"curl -fL -H \"Authorization: Bearer $ARTIFACTPORTAL_TOKEN\" -o {_version!.ArtifactName}-v{_version.Version.Number}.zip " +
        Navigation.ToAbsoluteUri(ZipHref);

    // The shell raises it when the page opens and after each navigation, with the access it looked up.
    private async Task AccessLoadedAsync(ProjectAccess access)
    {
        _access = access;
        await LoadAsync(access);
    }

    private async Task LoadAsync(ProjectAccess access)
    {
        var isNumber = Version.StartsWith('v') && ArtifactNames.ParseVersionNumber(Version) is not null;
        var reference = Version.TrimStart('@');
        var cancellationToken = _cancellation.Next();
        try
        {
            var version = await Artifacts.GetVersionAsync(access, Name, reference, cancellationToken);
            if (!isNumber || version.ArtifactName != Name)
            {
                Navigation.NavigateTo(ArtifactDisplay.VersionLink(Slug, version.ArtifactName, version.Version.Number), replace: true);
                return;
            }

            _version = version;
            if (_loadedFor != (Slug, Name, Version))
            {
                _loadedFor = (Slug, Name, Version);
                await LoadThumbnailsAsync();
                // What people look at first: a visualization, else the README, else the first file.
                var first = version.Files.FirstOrDefault(ArtifactDisplay.IsHtml)
                    ?? version.Files.FirstOrDefault(f => MediaTypes.FileName(f.Path).StartsWith("README", StringComparison.OrdinalIgnoreCase))
                    ?? (version.Files.Count > 0 ? version.Files[0] : null);
                await SelectAsync(first?.Path);
            }
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _version = null;
        }
        catch (PortalNotFoundException)
        {
            _version = null;
            Navigation.NotFound();
        }
    }

    private async Task LoadThumbnailsAsync() =>
        _thumbnails = await Analysis.GetThumbnailsAsync(_access!, _version!, _cancellation.Token);

    private async Task AnalysisFinishedAsync(AnalysisJobStatus job)
    {
        if (job.Kind == AnalysisKind.Thumbnail)
        {
            await LoadThumbnailsAsync();
        }

        await _analysisRefresh.RequestAsync();
    }

    private Task<IDialogReference> ShareAsync() => Dialogs.ShowAsync<CreateShareLinkDialog>(
        $"Share {_version!.Identifier}",
        new DialogParameters<CreateShareLinkDialog>
        {
            { d => d.ProjectSlug, Slug },
            { d => d.ArtifactName, _version.ArtifactName },
            { d => d.VersionNumber, _version.Version.Number },
        },
        new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });

    private async Task SelectAsync(string? path)
    {
        _selected = _version?.Files.FirstOrDefault(f => f.Path == path);
        _preview = null;
        if (_selected is not { } file)
        {
            return;
        }

        var preview = await Previews.CreateAsync(file, OpenAsync, _cancellation.Token);
        // A slow preview must not replace the one of a file chosen after it.
        if (_selected == file)
        {
            _preview = preview;
        }

        async Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
            await Blobs.OpenReadAsync(file.Sha256, cancellationToken)
            ?? throw new FileNotFoundException($"The stored content of {file.Path} is missing.");
    }

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
