namespace ArtifactPortal.Core.Artifacts;

/// <summary>
/// Immutable, content-addressed file contents keyed by lowercase hex SHA-256. A blob becomes visible only once it is
/// complete, verified and durable; interrupted writes leave at most a temporary that the cleanup job can find and remove.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store while hashing it and returns its hash and length.
    /// Throws <see cref="BlobHashMismatchException"/> or <see cref="BlobTooLargeException"/> without keeping anything.
    /// When the content is already stored the new copy is dropped and <see cref="StoredBlob.AlreadyExisted"/> is true.
    /// </summary>
    Task<StoredBlob> PutAsync(Stream content, string? expectedSha256, long? maxBytes, CancellationToken cancellationToken);

    /// <summary>A read-only stream over the blob, or null when it is not stored.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Removes the blob; false when it was not stored.</summary>
    Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken);

    IAsyncEnumerable<BlobInfo> ListAsync(CancellationToken cancellationToken);

    /// <summary>Temporaries of puts that have not finished for longer than <paramref name="olderThan"/>.</summary>
    IAsyncEnumerable<TemporaryBlobInfo> ListAbandonedTemporaryAsync(TimeSpan olderThan, CancellationToken cancellationToken);

    /// <summary>Removes a temporary reported by <see cref="ListAbandonedTemporaryAsync"/>; false when it is already gone.</summary>
    Task<bool> DeleteTemporaryAsync(string name, CancellationToken cancellationToken);
}
