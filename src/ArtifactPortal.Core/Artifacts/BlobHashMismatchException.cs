namespace ArtifactPortal.Core.Artifacts;

/// <summary>The content's SHA-256 differs from the one the client announced; nothing was stored.</summary>
public sealed class BlobHashMismatchException(string expectedSha256, string actualSha256, long length)
    : Exception($"The content's SHA-256 is {actualSha256} ({length} bytes), not the expected {expectedSha256}; nothing was stored.")
{
    public string ExpectedSha256 { get; } = expectedSha256;

    public string ActualSha256 { get; } = actualSha256;
}
