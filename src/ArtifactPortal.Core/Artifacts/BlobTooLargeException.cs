namespace ArtifactPortal.Core.Artifacts;

/// <summary>The content exceeded the size limit of the put; nothing was stored.</summary>
public sealed class BlobTooLargeException(long maxBytes, string message) : Exception(message)
{
    public BlobTooLargeException(long maxBytes)
        : this(maxBytes, $"The content is larger than the limit of {maxBytes} bytes; nothing was stored.")
    {
    }

    public long MaxBytes { get; } = maxBytes;
}
