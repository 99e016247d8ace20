using System.Text.Json.Serialization;

namespace ArtifactPortal.Web.Features.Artifacts;

[JsonConverter(typeof(JsonStringEnumConverter<UploadPhase>))]
public enum UploadPhase
{
    Idle,
    Selected,
    Uploading,
    Committing,
    Committed,
    Failed,
    Cancelled,
}

[JsonConverter(typeof(JsonStringEnumConverter<UploadFileStatus>))]
public enum UploadFileStatus
{
    Queued,
    Uploading,
    Done,
    Failed,
}

/// <summary>A file the browser picked, as uploader.js describes it (paths relative, '/'-separated).</summary>
public sealed record SelectedUploadFile(int Index, string Path, long Size);

/// <summary>What changed for one file since the last progress report.</summary>
public sealed record UploadFileChange(int Index, long Received, UploadFileStatus Status, string? Error);

/// <summary>One progress report from uploader.js, sent about four times a second while bytes move.</summary>
public sealed record UploadProgress(
    UploadPhase Phase,
    long ReceivedBytes,
    long TotalBytes,
    double BytesPerSecond,
    double? SecondsLeft,
    string? Message,
    int? Version,
    IReadOnlyList<UploadFileChange>? Files);

/// <summary>The uploader's view of one file.</summary>
public sealed class UploadFileState(SelectedUploadFile file)
{
    public int Index { get; } = file.Index;

    public string Path { get; } = file.Path;

    public long Size { get; } = file.Size;

    public long Received { get; set; }

    public UploadFileStatus Status { get; set; } = UploadFileStatus.Queued;

    public string? Error { get; set; }

    public double Percent => Status == UploadFileStatus.Done ? 100 : Size == 0 ? 0 : Math.Min(100, 100.0 * Received / Size);
}
