using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Runs;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Runs;

public sealed partial class RunListPage : IDisposable
{
    private const string AllExperiments = "";

    private readonly LoadCancellation _cancellation = new();
    private readonly SortedSet<int> _selected = [];
    private MudDataGrid<RunDetails>? _grid;
    private ProjectAccess? _access;

    // Until the grid's first page arrives (never in a server render) it shows "loading", not "no runs match"; see the artifact list.
    private bool _loading = true;
    private IReadOnlyList<ExperimentSummary>? _experiments;
    private RunKeys? _keys;
    private IReadOnlyList<RunColumn> _allColumns = [];
    private IReadOnlyList<RunColumn> _columns = [];
    private string? _loadedSlug;
    private string _experiment = AllExperiments;
    private string? _filterText;
    private string? _filter;
    private string? _filterError;
    private string _sort = "-started";
    private bool _anyRunning;
    private bool _polling;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    /// <summary>Links can open the list on one experiment.</summary>
    [SupplyParameterFromQuery(Name = "experiment")]
    public string? ExperimentQuery { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private ExperimentService Experiments { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private string Snippet =>
        $$"""
        import artifactportal as ap  # ARTIFACTPORTAL_URL and ARTIFACTPORTAL_TOKEN set in the environment
        run = ap.init(project="{{Slug}}", experiment="baseline", config={"lr": 0.01})
        run.log({"loss": 0.3}, step=1)
        run.finish()
        """;

    // The shell raises it when the page opens and after each navigation, with the access it looked up.
    private async Task AccessLoadedAsync(ProjectAccess access)
    {
        _access = access;
        await LoadExperimentsAndKeysAsync(access);
    }

    private async Task LoadExperimentsAndKeysAsync(ProjectAccess access)
    {
        _experiments = await Experiments.ListAsync(access, _cancellation.Token);
        _keys = await Runs.ListKeysAsync(access, _cancellation.Token);
        _allColumns = RunColumn.All(_keys);
        if (_loadedSlug != Slug)
        {
            _columns = RunColumn.Defaults(_keys);
            _experiment = ExperimentQuery ?? AllExperiments;
        }

        _loadedSlug = Slug;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!_polling && RendererInfo.IsInteractive)
        {
            _polling = true;
            _ = PollAsync();
        }
    }

    private async Task<GridData<RunDetails>> LoadAsync(GridState<RunDetails> state, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellation.Token);
        var query = new RunQuery(_experiment == AllExperiments ? null : _experiment, null, _filter, _sort, state.Page + 1, state.PageSize);
        _loading = true;
        try
        {
            // The access the shell looked up for this address, as every page loads with.
            var page = await Runs.ListAsync((await AuthenticationState).User, _access!, query, linked.Token);
            _anyRunning = page.Items.Any(r => r.Status == RunStatus.Running);
            _loading = false;
            return new GridData<RunDetails> { Items = page.Items, TotalItems = page.Total };
        }
        catch (RunFilterException e)
        {
            _filterError = e.Message;
            _loading = false;
            return new GridData<RunDetails> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>While a shown run is running, its status and duration refresh every few seconds.</summary>
    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(RunDisplay.LiveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_cancellation.Token))
            {
                if (_anyRunning && _grid is not null)
                {
                    await InvokeAsync(_grid.ReloadServerData);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private Task ExperimentChangedAsync(string experiment)
    {
        _experiment = experiment;
        return ReloadAsync();
    }

    private Task FilterChangedAsync(string? text)
    {
        _filterText = text;
        try
        {
            RunFilter.Parse(text);
            _filterError = null;
        }
        catch (RunFilterException e)
        {
            // Keep the last good filter's rows and say what is wrong with the new one.
            _filterError = e.Message;
            return Task.CompletedTask;
        }

        _filter = text;
        return ReloadAsync();
    }

    private Task SortChangedAsync(string sort)
    {
        _sort = sort;
        return ReloadAsync();
    }

    private IReadOnlyCollection<string> ColumnIds => [.. _columns.Select(c => c.Id)];

    private Task ColumnsChangedAsync(IReadOnlyCollection<string> ids)
    {
        var chosen = ids.ToHashSet(StringComparer.Ordinal);
        _columns = [.. _allColumns.Where(c => chosen.Contains(c.Id))];
        if (_sort.TrimStart('-') is var key && key.Contains('.', StringComparison.Ordinal) && _columns.All(c => c.SortKey != key))
        {
            _sort = "-started";
            return ReloadAsync();
        }

        return Task.CompletedTask;
    }

    private void Select(int number, bool selected)
    {
        if (selected)
        {
            _selected.Add(number);
        }
        else
        {
            _selected.Remove(number);
        }
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
