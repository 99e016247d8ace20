using System.Text.Json;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Lineage;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace ArtifactPortal.Web.Features.Lineage;

/// <summary>
/// Loads the lineage around <see cref="Node"/> from <see cref="LineageService"/> and hands it, as the API's JSON shape
/// (<see cref="ApiLineageGraph"/>), to LineageGraph.razor.js, which draws it with Cytoscape.js.
/// </summary>
public sealed partial class LineageGraph : IAsyncDisposable
{
    internal const string ModulePath = "./Features/Lineage/LineageGraph.razor.js";

    private static readonly (int Value, string Text)[] DepthChoices = [(1, "1"), (2, "2"), (3, "3"), (0, "All")];

    private static readonly (string Kind, string Text)[] Legend =
        [("dataset", "Dataset"), ("model", "Model"), ("evaluation", "Evaluation"), ("run", "Run"), ("other", "Other"), ("restricted", "Restricted")];

    private readonly LoadCancellation _cancellation = new();
    private ElementReference _canvas;
    private ElementReference _tooltip;
    private IJSObjectReference? _module;
    private DotNetObjectReference<LineageGraph>? _self;
    private Loaded? _pending;
    private ApiLineageGraph? _graph;
    private string? _error;
    private string? _loadedNode;
    private int _upDepth = 2;
    private int _downDepth = 2;

    /// <summary><c>project/artifact:v3</c> or <c>run:project/17</c>.</summary>
    [Parameter, EditorRequired]
    public required string Node { get; set; }

    /// <summary>Names downloaded images (PNG/SVG).</summary>
    [Parameter]
    public string ExportName { get; set; } = "lineage";

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private LineageService Lineage { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private string AriaLabel => _graph is null ? "Lineage graph" : $"Lineage graph with {_graph.Nodes.Count} nodes and {_graph.Edges.Count} links";

    /// <summary>The graph as the script gets it: the same JSON the API answers.</summary>
    internal static JsonElement ToScript(ApiLineageGraph graph) => JsonSerializer.SerializeToElement(graph, JsonSerializerOptions.Web);

    protected override async Task OnParametersSetAsync()
    {
        // Prerendering cannot draw (the canvas needs the script), so the query runs once, on the live circuit; the
        // prerendered page, sent sooner, shows the progress bar and tells the browser to fetch the script meanwhile.
        if (_loadedNode != Node && RendererInfo.IsInteractive)
        {
            _loadedNode = Node;
            await LoadAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_pending is not { } pending)
        {
            return;
        }

        _pending = null;
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _cancellation.Token, ModulePath);
        _self ??= DotNetObjectReference.Create(this);
        await _module.InvokeVoidAsync("show", _cancellation.Token, _canvas, _tooltip, _self, ToScript(pending.Graph));
    }

    /// <summary>Called by the script when a node with a page is clicked.</summary>
    [JSInvokable]
    public void Open(string url)
    {
        // Only the portal's own pages: the URL came back from the browser.
        if (url.StartsWith("/p/", StringComparison.Ordinal))
        {
            Navigation.NavigateTo(url);
        }
    }

    private async Task LoadAsync()
    {
        var cancellationToken = _cancellation.Next();
        _error = null;
        try
        {
            var user = (await AuthenticationState).User;
            var graph = await Lineage.GetGraphAsync(
                user, new LineageQuery(Node, LineageDirection.Both, _upDepth) { DownstreamDepth = _downDepth }, cancellationToken);
            _graph = ApiLineageGraph.From(graph);
            _pending = new Loaded(_graph);
        }
        catch (Exception e) when (e is ProjectNotFoundException or PortalNotFoundException or PortalRequestException)
        {
            _graph = null;
            _error = e.Message;
        }
    }

    private async Task SetUpDepthAsync(int depth)
    {
        _upDepth = depth;
        await LoadAsync();
    }

    private async Task SetDownDepthAsync(int depth)
    {
        _downDepth = depth;
        await LoadAsync();
    }

    private async Task ZoomAsync(double factor)
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("zoom", _cancellation.Token, _canvas, factor);
        }
    }

    private async Task FitAsync()
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("fit", _cancellation.Token, _canvas);
        }
    }

    private async Task ExportAsync(string format)
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("exportImage", _cancellation.Token, _canvas, format, ExportName);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cancellation.Dispose();
        try
        {
            if (_module is not null)
            {
                await _module.InvokeVoidAsync("dispose", _canvas);
                await _module.DisposeAsync();
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or TaskCanceledException)
        {
            // The circuit is gone, and the browser's page with it.
            // (A closed tab disposes the circuit while its calls wait for the browser; they end cancelled.)
        }

        _self?.Dispose();
    }

    private sealed record Loaded(ApiLineageGraph Graph);
}
