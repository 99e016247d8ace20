using System.Globalization;
using ArtifactPortal.Core.Artifacts;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>
/// Shows a <see cref="FilePreview"/>: a table, highlighted text (head and tail of large files), Markdown, an image, HTML in a
/// sandboxed frame, or a model's facts. The page supplies the addresses; this component fetches nothing itself.
/// </summary>
public partial class FilePreviewView : IAsyncDisposable
{
    private ElementReference _head;
    private ElementReference _tail;
    private IJSObjectReference? _module;
    private FilePreview? _highlighted;

    [Parameter, EditorRequired]
    public required FilePreview Preview { get; set; }

    /// <summary>Where the browser loads an image's bytes from (same origin is fine: an &lt;img&gt; runs no script).</summary>
    [Parameter]
    public string? ContentUrl { get; set; }

    /// <summary>The download link shown in the header, with truncated text and when there is no preview.</summary>
    [Parameter]
    public string? DownloadUrl { get; set; }

    /// <summary>An address that serves the HTML with <c>Content-Security-Policy: sandbox allow-scripts</c>.</summary>
    [Parameter]
    public string? SandboxUrl { get; set; }

    [Parameter]
    public bool ShowHeader { get; set; } = true;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (Exception e) when (e is JSDisconnectedException or TaskCanceledException)
            {
                // The circuit is gone, and the module with it.
                // (A closed tab disposes the circuit while its calls wait for the browser; they end cancelled.)
            }
        }

        GC.SuppressFinalize(this);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Preview is not TextPreview text || ReferenceEquals(_highlighted, Preview) || !RendererInfo.IsInteractive)
        {
            return;
        }

        _highlighted = Preview;
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Artifacts/FilePreviewView.razor.js");
        ElementReference[] elements = text.Tail is null ? [_head] : [_head, _tail];
        await _module.InvokeVoidAsync("highlight", elements, text.Language);
    }

    private static string CodeClass(TextPreview text) => "language-" + text.Language;

    private static string TableCaption(TablePreview table)
    {
        var rows = table.HasMoreRows
            ? $"First {table.Rows.Count.ToString("N0", CultureInfo.InvariantCulture)} rows"
            : table.Rows.Count == 1 ? "1 row" : $"{table.Rows.Count.ToString("N0", CultureInfo.InvariantCulture)} rows";
        var columns = table.Columns.Count == 1 ? "1 column" : $"{table.Columns.Count.ToString("N0", CultureInfo.InvariantCulture)} columns";
        return $"{rows} · {columns} · {table.Format}";
    }

    private static string TruncationNotice(TextPreview text) =>
        $"The file is {ByteSize.Format(text.Size)}: showing its beginning and its end, the middle is left out.";
}
