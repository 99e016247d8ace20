using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.Infrastructure.Previews;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace ArtifactPortal.Web.Features.Sharing;

/// <summary>
/// What a share link opens, for anyone holding it: one version's facts, metadata and files, with previews and downloads
/// only when the link allows downloads. Rendered statically; choosing a file is a link (<c>?file=path</c>).
/// </summary>
public sealed partial class SharedVersionPage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private SharedVersion? _shared;
    private bool _loaded;
    private ArtifactFileEntry? _selected;
    private FilePreview? _preview;

    [Parameter, EditorRequired]
    public required string Secret { get; set; }

    /// <summary>The file to preview; the first one when absent.</summary>
    [SupplyParameterFromQuery(Name = "file")]
    public string? File { get; set; }

    [Inject]
    private ShareLinkService ShareLinks { get; set; } = default!;

    [Inject]
    private FilePreviewService Previews { get; set; } = default!;

    [Inject]
    private IBlobStore Blobs { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // A use is opening the link; moving between its files is not. Never counted on a live re-render.
        var countUse = File is null && !RendererInfo.IsInteractive;
        _shared = await ShareLinks.OpenAsync(Secret, countUse, _cancellation.Token);
        _loaded = true;
        _selected = null;
        _preview = null;
        if (_shared is not { Link.AllowDownload: true } || _shared.Version.Files is not [var first, ..] files)
        {
            return;
        }

        var file = files.FirstOrDefault(f => f.Path == File) ?? first;
        _selected = file;
        _preview = await Previews.CreateAsync(file, OpenAsync, _cancellation.Token);

        async Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
            await Blobs.OpenReadAsync(file.Sha256, cancellationToken)
            ?? throw new FileNotFoundException($"The stored content of {file.Path} is missing.");
    }

    private string SelectLink(ArtifactFileEntry file) => $"{ShareLinkDisplay.PageLink(Secret)}?file={Uri.EscapeDataString(file.Path)}";

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
