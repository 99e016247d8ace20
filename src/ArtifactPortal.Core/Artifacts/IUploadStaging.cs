namespace ArtifactPortal.Core.Artifacts;

/// <summary>
/// Scratch space for files that arrive in chunks. A file is assembled here and then streamed into the blob store once its
/// last chunk arrives; whole-file PUTs skip it and stream straight into the store.
/// </summary>
public interface IUploadStaging
{
    /// <summary>Writes exactly <paramref name="length"/> bytes at <paramref name="offset"/> and flushes them to disk.</summary>
    Task WriteAsync(Guid uploadId, int fileIndex, long offset, Stream content, long length, CancellationToken cancellationToken);

    /// <summary>
    /// Bytes of the file staged here, a contiguous prefix (0 when none). Staging is per node unless its folder is shared,
    /// so this can be less than the upload's received count when earlier chunks went to another node.
    /// </summary>
    Task<long> StagedLengthAsync(Guid uploadId, int fileIndex, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(Guid uploadId, int fileIndex, CancellationToken cancellationToken);

    Task DeleteFileAsync(Guid uploadId, int fileIndex, CancellationToken cancellationToken);

    /// <summary>Removes everything staged for the upload.</summary>
    Task DeleteAsync(Guid uploadId, CancellationToken cancellationToken);

    /// <summary>Uploads that have something staged, for the cleanup job.</summary>
    IAsyncEnumerable<Guid> ListAsync(CancellationToken cancellationToken);
}
