using System.Globalization;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>
/// Uploads a new version of <see cref="ArtifactName"/> from the browser: files and folders dropped or picked, sent in chunks
/// by <c>lib/artifactportal/uploader.js</c> to the staged-upload API, progress shown here, committed at the end.
/// </summary>
public sealed partial class ArtifactUploader : IAsyncDisposable
{
    /// <summary>More rows than this would slow the page down; the rest are counted ("and 240 more").</summary>
    internal const int MaxVisibleFiles = 100;

    internal const string ModulePath = "lib/artifactportal/uploader.js";

    /// <summary>The fingerprinted address of uploader.js; import() needs it relative ("./…").</summary>
    internal static string ModuleSpecifier(ResourceAssetCollection assets) => "./" + assets[ModulePath];

    private readonly string _filesInputId = "upload-files-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _folderInputId = "upload-folder-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<UploadFileState> _files = [];
    private readonly LoadCancellation _cancellation = new();
    private ElementReference _root;
    private IJSObjectReference? _module;
    private IJSObjectReference? _uploader;
    private DotNetObjectReference<ArtifactUploader>? _self;
    private UploadPhase _phase = UploadPhase.Idle;
    private long _receivedBytes;
    private long _totalBytes;
    private double _bytesPerSecond;
    private double? _secondsLeft;
    private string? _message;
    private int? _version;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired]
    public required string ProjectSlug { get; set; }

    [Parameter, EditorRequired]
    public required string ArtifactName { get; set; }

    /// <summary>Stored with the new version (key → any JSON value).</summary>
    [Parameter]
    public IReadOnlyDictionary<string, object?>? Metadata { get; set; }

    /// <summary>Start as soon as files are dropped or picked; false when a form around it starts the upload (<see cref="StartAsync"/>).</summary>
    [Parameter]
    public bool AutoStart { get; set; } = true;

    [Parameter]
    public bool Disabled { get; set; }

    /// <summary>The number of the version the upload created.</summary>
    [Parameter]
    public EventCallback<int> OnCommitted { get; set; }

    /// <summary>How many files are selected, whenever that changes.</summary>
    [Parameter]
    public EventCallback<int> OnSelectionChanged { get; set; }

    /// <summary>Selected, uploading, committing, committed, failed or cancelled.</summary>
    [Parameter]
    public EventCallback<UploadPhase> PhaseChanged { get; set; }

    public UploadPhase Phase => _phase;

    public int FileCount => _files.Count;

    public bool IsBusy => _phase is UploadPhase.Uploading or UploadPhase.Committing;

    private double TotalPercent => _phase == UploadPhase.Committed ? 100 : _totalBytes == 0 ? 0 : 100.0 * _receivedBytes / _totalBytes;

    /// <summary>Begins the upload of the selected files; false when there is nothing to upload or one is running.</summary>
    public async Task<bool> StartAsync()
    {
        if (_uploader is null || _files.Count == 0 || IsBusy)
        {
            return false;
        }

        return await _uploader.InvokeAsync<bool>("start", ProjectSlug, ArtifactName, Metadata);
    }

    [JSInvokable("OnFilesSelected")]
    public async Task OnFilesSelectedAsync(IReadOnlyList<SelectedUploadFile> files, bool reset, bool complete)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (reset)
        {
            _files.Clear();
            _version = null;
            _message = null;
        }

        _files.AddRange(files.Select(f => new UploadFileState(f)));
        _totalBytes = _files.Sum(f => f.Size);
        _receivedBytes = 0;
        _phase = _files.Count == 0 ? UploadPhase.Idle : UploadPhase.Selected;
        if (!complete)
        {
            return;
        }

        StateHasChanged();
        await OnSelectionChanged.InvokeAsync(_files.Count);
        if (AutoStart && _files.Count > 0)
        {
            await StartAsync();
        }
    }

    [JSInvokable("OnUploadProgress")]
    public async Task OnUploadProgressAsync(UploadProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var phaseChanged = _phase != progress.Phase;
        _phase = progress.Phase;
        _receivedBytes = progress.ReceivedBytes;
        _totalBytes = progress.TotalBytes;
        _bytesPerSecond = progress.BytesPerSecond;
        _secondsLeft = progress.SecondsLeft;
        _message = progress.Message;
        _version = progress.Version;
        foreach (var change in progress.Files ?? [])
        {
            if (change.Index >= 0 && change.Index < _files.Count)
            {
                var file = _files[change.Index];
                file.Received = change.Received;
                file.Status = change.Status;
                file.Error = change.Error;
            }
        }

        StateHasChanged();
        if (phaseChanged)
        {
            await PhaseChanged.InvokeAsync(_phase);
        }
    }

    [JSInvokable("OnUploadCommitted")]
    public async Task OnUploadCommittedAsync(int version)
    {
        _phase = UploadPhase.Committed;
        _version = version;
        StateHasChanged();
        await OnCommitted.InvokeAsync(version);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // The token, cancelled by DisposeAsync, keeps a call that resumes after the dialog closed from using the disposed _self
        // (a slow import then crashed the whole circuit).
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", _cancellation.Token, ModuleSpecifier(Assets));
            _self = DotNetObjectReference.Create(this);
            _uploader = await _module.InvokeAsync<IJSObjectReference>("createUploader", _cancellation.Token, _root, _self);
        }
        catch (JSException e)
        {
            _phase = UploadPhase.Failed;
            _message = "The uploader could not start in this browser: " + e.Message;
            StateHasChanged();
        }
    }

    private async Task RetryFailedAsync()
    {
        if (_uploader is not null)
        {
            await _uploader.InvokeVoidAsync("retryFailed");
        }
    }

    private async Task CancelAsync()
    {
        if (_uploader is not null)
        {
            await _uploader.InvokeVoidAsync("cancel");
        }
    }

    private async Task ClearAsync()
    {
        if (_uploader is not null)
        {
            await _uploader.InvokeVoidAsync("clear");
        }
    }

    private IEnumerable<UploadFileState> VisibleFiles() =>
        // Failed files first: they are the ones that need a look, even among hundreds.
        _files.Where(f => f.Status == UploadFileStatus.Failed)
            .Concat(_files.Where(f => f.Status != UploadFileStatus.Failed))
            .Take(MaxVisibleFiles);

    private string StatusLine()
    {
        var done = _files.Count(f => f.Status == UploadFileStatus.Done);
        var parts = new List<string>();
        switch (_phase)
        {
            case UploadPhase.Selected:
            case UploadPhase.Cancelled:
            case UploadPhase.Idle:
                parts.Add($"{Count(_files.Count, "file", "files")} selected ({ByteSize.Format(_totalBytes)})");
                break;
            case UploadPhase.Committing:
                parts.Add($"All {Count(_files.Count, "file", "files")} sent; creating the version…");
                break;
            default:
                parts.Add(Percent(TotalPercent));
                parts.Add($"{ByteSize.Format(_receivedBytes)} of {ByteSize.Format(_totalBytes)}");
                parts.Add($"{done} of {Count(_files.Count, "file", "files")} done");
                if (_phase == UploadPhase.Uploading && _bytesPerSecond > 0)
                {
                    parts.Add(UploadText.Speed(_bytesPerSecond));
                }

                if (_phase == UploadPhase.Uploading && _secondsLeft is { } left)
                {
                    parts.Add(UploadText.TimeLeft(left));
                }

                break;
        }

        return string.Join(" · ", parts);
    }

    private static string FileState(UploadFileState file) => file.Status switch
    {
        UploadFileStatus.Queued when file.Received == 0 => "Waiting",
        UploadFileStatus.Done => "Done",
        UploadFileStatus.Failed => "Failed",
        _ => Percent(file.Percent),
    };

    private static string Percent(double value) =>
        // Never show 100% before the server has confirmed the last byte.
        string.Create(CultureInfo.InvariantCulture, $"{(value >= 100 ? 100 : Math.Min(99, Math.Floor(value))):0}%");

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    private static string StatusIcon(UploadFileStatus status) => status switch
    {
        UploadFileStatus.Uploading => Icons.Material.Outlined.Upload,
        UploadFileStatus.Done => Icons.Material.Outlined.CheckCircle,
        UploadFileStatus.Failed => Icons.Material.Outlined.ErrorOutline,
        _ => Icons.Material.Outlined.Schedule,
    };

    private static Color StatusColor(UploadFileStatus status) => status switch
    {
        UploadFileStatus.Done => Color.Success,
        UploadFileStatus.Failed => Color.Error,
        _ => Color.Primary,
    };

    public async ValueTask DisposeAsync()
    {
        _cancellation.Dispose();
        try
        {
            if (_uploader is not null)
            {
                await _uploader.InvokeVoidAsync("dispose");
                await _uploader.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or TaskCanceledException)
        {
            // The circuit is gone with the page; the browser dropped the module and its upload with it.
            // (A closed tab disposes the circuit while its calls wait for the browser; they end cancelled.)
        }

        _self?.Dispose();
    }
}
