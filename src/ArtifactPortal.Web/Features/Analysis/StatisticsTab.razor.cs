using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ArtifactPortal.Web.Features.Analysis;

public sealed partial class StatisticsTab : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private VersionStatistics? _statistics;
    private (string, string, int)? _loadedFor;
    private string? _file;
    private string? _column;
    private IReadOnlyList<int> _baselines = [];
    private int? _baseline;
    private StatisticsComparison? _comparison;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required string ArtifactName { get; set; }

    [Parameter, EditorRequired]
    public required int VersionNumber { get; set; }

    /// <summary>Raised when a job of the version finishes, so the tab reloads its results.</summary>
    [Parameter]
    public AnalysisRefresh? Refresh { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private AnalysisService Analysis { get; set; } = default!;

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    private FileStatisticsResult? Result => _statistics?.Files.FirstOrDefault(f => f.Path == _file);

    private AnalysisJobStatus? StatisticsJob => _statistics?.Jobs.FirstOrDefault(j => j.Kind == AnalysisKind.Statistics);

    private string Reference => $"v{VersionNumber}";

    protected override void OnInitialized()
    {
        if (Refresh is not null)
        {
            Refresh.Requested += ReloadAsync;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == (Slug, ArtifactName, VersionNumber))
        {
            return;
        }

        _loadedFor = (Slug, ArtifactName, VersionNumber);
        var cancellationToken = _cancellation.Next();
        await LoadAsync(cancellationToken);
        var versions = await Artifacts.ListVersionsAsync((await AuthenticationState).User, Slug, ArtifactName, 1, 100, cancellationToken);
        _baselines = [.. versions.Versions.Items.Where(v => !v.IsDeleted && v.Number != VersionNumber).Select(v => v.Number)];
        _baseline = null;
        _comparison = null;
    }

    private Task ReloadAsync() => InvokeAsync(async () =>
    {
        var cancellationToken = _cancellation.Next();
        await LoadAsync(cancellationToken);
        if (_baseline is { } baseline)
        {
            await CompareWithAsync(baseline, cancellationToken);
        }

        StateHasChanged();
    });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _statistics = await Analysis.GetStatisticsAsync((await AuthenticationState).User, Slug, ArtifactName, Reference, cancellationToken);
        if (_file is null || !_statistics.TabularFiles.Contains(_file))
        {
            _file = _statistics.TabularFiles.Count > 0 ? _statistics.TabularFiles[0] : null;
            _column = null;
        }
    }

    private void SelectFile(string path)
    {
        _file = path;
        _column = null;
    }

    private Task CompareAsync(int? baseline) => CompareWithAsync(baseline, _cancellation.Token);

    private async Task CompareWithAsync(int? baseline, CancellationToken cancellationToken)
    {
        _baseline = baseline;
        _comparison = baseline is { } number
            ? await Analysis.CompareAsync((await AuthenticationState).User, Slug, ArtifactName, Reference, $"v{number}", cancellationToken)
            : null;
    }

    private static string Summary(FileStatistics s)
    {
        var parts = new List<string>
        {
            $"{StatisticsDisplay.Count(s.RowCount)} rows",
            $"{s.ColumnCount} columns",
            ByteSize.Format(s.SizeBytes),
            s.Format.ToUpperInvariant() + (s.Dialect is { } d ? $" ({Delimiter(d.Delimiter)}, {(d.HasHeader ? "header" : "no header")}, {d.Encoding}{(d.Gzip ? ", gzip" : "")})" : ""),
        };
        if (s.DuplicateRowEstimate > 0)
        {
            parts.Add($"{StatisticsDisplay.Count(s.DuplicateRowEstimate)} duplicate rows");
        }

        return string.Join(" · ", parts);
    }

    private static string Delimiter(char c) => c switch
    {
        ',' => "comma",
        '\t' => "tab",
        ';' => "semicolon",
        '|' => "pipe",
        _ => $"'{c}'",
    };

    public void Dispose()
    {
        if (Refresh is not null)
        {
            Refresh.Requested -= ReloadAsync;
        }

        _cancellation.Dispose();
    }
}
