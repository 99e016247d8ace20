using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ArtifactPortal.Web.Features.Runs.Charts;

public sealed partial class WhenVisible
{
    private const string ModulePath = "./Features/Runs/Charts/WhenVisible.razor.js";
    private readonly LoadCancellation _cancellation = new();
    private ElementReference _element;
    private bool _visible;
    private IJSObjectReference? _module;
    private DotNetObjectReference<WhenVisible>? _self;

    [Parameter, EditorRequired]
    public required RenderFragment ChildContent { get; set; }

    /// <summary>Space kept while the content is not rendered, so the page does not jump when it appears.</summary>
    [Parameter]
    public int PlaceholderHeight { get; set; } = 400;

    [Parameter]
    public string? Class { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [JSInvokable]
    public void BecameVisible()
    {
        if (!_visible)
        {
            _visible = true;
            StateHasChanged();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
        {
            return;
        }

        // The token, cancelled by DisposeAsync, keeps a call that resumes after the page was left from using the disposed _self.
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", _cancellation.Token, ModulePath);
            _self = DotNetObjectReference.Create(this);
            await _module.InvokeVoidAsync("observe", _cancellation.Token, _element, _self);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cancellation.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("unobserve", _element);
                await _module.DisposeAsync();
            }
            catch (Exception e) when (e is JSDisconnectedException or TaskCanceledException)
            {
                // The circuit closed first; the browser dropped the observer with the page.
                // (A closed tab disposes the circuit while its calls wait for the browser; they end cancelled.)
            }
        }

        _self?.Dispose();
    }
}
