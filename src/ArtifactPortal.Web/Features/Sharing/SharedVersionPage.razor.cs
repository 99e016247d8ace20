using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.Infrastructure.Previews;
using Microsoft.AspNetCore.Components;

namespace ArtifactPortal.Web.Features.Sharing;

/// <summary>
/// What a share link opens, for anyone holding it: one version's facts, metadata and files, with previews and downloads
/// only when the link allows downloads.
/// </summary>
public sealed partial class SharedVersionPage : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private SharedVersion? _shared;
    private bool _loaded;
    private ArtifactFileEntry? _selected;
    private FilePreview? _preview;

    [Parameter, EditorRequired]
    public required string Secret { get; set; }

    [Inject]
    private ShareLinkService ShareLinks { get; set; } = default!;

    [Inject]
    private FilePreviewService Previews { get; set; } = default!;

    [Inject]
    private IBlobStore Blobs { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // The page renders twice, prerendered and then live: count the view once, on the prerender of the page load.
        _shared = await ShareLinks.OpenAsync(Secret, countUse: !RendererInfo.IsInteractive, _cancellation.Token);
        _loaded = true;
        if (_shared is { Link.AllowDownload: true } && _selected is null && RendererInfo.IsInteractive)
        {
            await SelectAsync(_shared.Version.Files is [var first, ..] ? first.Path : null);
        }
    }

    private async Task SelectAsync(string? path)
    {
        if (_shared is not { Link.AllowDownload: true })
        {
            return;
        }

        _selected = _shared.Version.Files.FirstOrDefault(f => f.Path == path);
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
        _cancellation.Cancel();
        _cancellation.Dispose();
    }
}
