using System.Security.Cryptography;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>The checks every store makes while and after streaming a put.</summary>
internal static class BlobUpload
{
    public static void CheckArguments(Stream content, ref string? expectedSha256, long? maxBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (expectedSha256 is not null)
        {
            expectedSha256 = BlobHash.Normalize(expectedSha256);
        }

        if (maxBytes is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The size limit cannot be negative.");
        }
    }

    public static void CheckLength(long length, long? maxBytes)
    {
        if (length > maxBytes)
        {
            throw new BlobTooLargeException(maxBytes.Value);
        }
    }

    public static string Finish(IncrementalHash hash, string? expectedSha256, long length)
    {
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        return expectedSha256 is null || expectedSha256 == actual
            ? actual
            : throw new BlobHashMismatchException(expectedSha256, actual, length);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the content ends.</summary>
    public static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
