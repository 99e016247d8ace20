using System.Text.Json;

namespace ArtifactPortal.Core.Artifacts;

/// <param name="Sha256">Optional: when given, the content must match it.</param>
public sealed record UploadFileRequest(string Path, long Size, string? Sha256 = null);

/// <param name="RunId">The running run of the same project that produces the version.</param>
public sealed record BeginUpload(IReadOnlyList<UploadFileRequest> Files, IReadOnlyDictionary<string, JsonElement>? Metadata = null, Guid? RunId = null);

public sealed record UploadFileStatus(int Index, string Path, long Size, long Received, bool Complete, string? Sha256);

public sealed record UploadStatus(
    Guid Id, string ProjectSlug, string ArtifactName, DateTimeOffset ExpiresAt, int? CommittedVersion, IReadOnlyList<UploadFileStatus> Files);

/// <summary>A chunk's place in its file, from <c>Content-Range: bytes START-END/TOTAL</c> (END inclusive).</summary>
public sealed record ChunkRange(long Start, long End, long Total)
{
    public long Length => End - Start + 1;
}
