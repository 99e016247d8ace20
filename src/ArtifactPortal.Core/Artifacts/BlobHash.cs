using System.Buffers;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>Lowercase hex SHA-256 strings: the only blob names a store ever builds a path or a URL from.</summary>
public static class BlobHash
{
    public const int Length = 64;

    /// <summary>The hash of zero bytes.</summary>
    public const string Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string? sha256) =>
        sha256 is { Length: Length } && !sha256.AsSpan().ContainsAnyExcept(LowerHex);

    /// <summary>Accepts either case from callers and returns the lowercase form; anything else is rejected.</summary>
    public static string Normalize(string? sha256)
    {
        var lower = sha256?.ToLowerInvariant();
        return IsValid(lower) ? lower! : throw new InvalidBlobHashException(sha256);
    }

    /// <summary>Throws unless <paramref name="sha256"/> is already a lowercase hex SHA-256.</summary>
    public static string Validate(string? sha256) => IsValid(sha256) ? sha256! : throw new InvalidBlobHashException(sha256);
}
