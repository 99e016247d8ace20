namespace ArtifactPortal.Core.Artifacts;

public sealed class InvalidBlobHashException(string? value)
    : ArgumentException($"'{Describe(value)}' is not a SHA-256 hash: expected {BlobHash.Length} hexadecimal characters.")
{
    private static string Describe(string? value) => value is null ? "(null)" : value.Length > 80 ? value[..80] + "…" : value;
}
