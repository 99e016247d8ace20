using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ArtifactPortal.Core.Common;

/// <summary>The secret in an invite or share link: 256 random bits, Base64Url; the database keeps only its SHA-256.</summary>
public static class LinkSecret
{
    /// <summary>Longer strings cannot be a token; they are rejected before hashing.</summary>
    public const int MaxLength = 64;

    public static (string Token, string Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>Lowercase hex SHA-256 of the token as it appears in the link.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? token) =>
        token is { Length: > 0 and <= MaxLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
