using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

public sealed partial class ArtifactListPage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private MudDataGrid<ArtifactSummary>? _grid;
    private ProjectAccess? _access;
    private ProjectStorageUsage? _usage;
    private string? _loadedSlug;
    private string? _search;
    private ArtifactType? _type;
    private string? _tag;
    private string? _tagQuery;
    private ArtifactSort _sort = ArtifactSort.Updated;
    private IReadOnlyDictionary<Guid, ArtifactCover> _covers = new Dictionary<Guid, ArtifactCover>();

    // The grid asks for its first page after its first render, which a server render never reaches: until a page has
    // arrived it shows "loading", not "no artifacts match". Also passed while it reloads, so a re-render keeps the bar.
    private bool _loading = true;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    /// <summary>Links from an artifact's tag chips open the list filtered by that tag.</summary>
    [SupplyParameterFromQuery(Name = "tag")]
    public string? TagQuery { get; set; }

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private AnalysisService Analysis { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    // The shell raises it when the page opens and after each navigation, with the access it looked up.
    private async Task AccessLoadedAsync(ProjectAccess access)
    {
        _access = access;
        await LoadUsageAsync(access);
    }

    private async Task LoadUsageAsync(ProjectAccess access)
    {
        try
        {
            _usage = await Artifacts.GetUsageAsync(access, _cancellation.Token);
            _loadedSlug = Slug;
            if (TagQuery != _tagQuery)
            {
                (_tag, _tagQuery) = (TagQuery, TagQuery);
                await ReloadAsync();
            }
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _usage = null;
        }
    }

    private async Task<GridData<ArtifactSummary>> LoadAsync(GridState<ArtifactSummary> state, CancellationToken cancellationToken)
    {
        _loading = true;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellation.Token);
        var query = new ArtifactQuery(_search, _type, _tag, _sort, state.Page + 1, state.PageSize);
        // The access the shell looked up for this address, as every page loads with.
        var page = await Artifacts.ListAsync(_access!, query, linked.Token);
        _covers = await Analysis.GetCoversAsync(_access!, [.. page.Items.Select(a => a.Id)], linked.Token);
        _loading = false;
        return new GridData<ArtifactSummary> { Items = page.Items, TotalItems = page.Total };
    }

    private Task SearchChangedAsync(string? search)
    {
        _search = search;
        return ReloadAsync();
    }

    private Task TypeChangedAsync(ArtifactType? type)
    {
        _type = type;
        return ReloadAsync();
    }

    private Task TagChangedAsync(string? tag)
    {
        _tag = tag;
        return ReloadAsync();
    }

    private Task SortChangedAsync(ArtifactSort sort)
    {
        _sort = sort;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private Task NewArtifactAsync() => NewArtifactResult.ShowAndOpenAsync(Dialogs, Navigation, Slug);

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
