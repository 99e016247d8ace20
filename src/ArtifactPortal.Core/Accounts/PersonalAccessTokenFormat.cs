using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ArtifactPortal.Core.Accounts;

/// <summary>
/// "apt_" + 256 random bits in Base64Url (47 characters). The prefix lets secret scanners and people recognise a leaked
/// token; the database keeps only the SHA-256, which is enough for a secret this long (no salt or slow hash needed).
/// </summary>
public static class PersonalAccessTokenFormat
{
    public const string Prefix = "apt_";
    public const int SecretBytes = 32;
    public const int DisplayPrefixLength = 8;

    /// <summary>Prefix plus 43 Base64Url characters.</summary>
    public static readonly int Length = Prefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    public static (string Token, string Hash, string DisplayPrefix) Create()
    {
        var token = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (token, Hash(token), token.Substring(Prefix.Length, DisplayPrefixLength));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>True for something shaped like a token; checked before any hashing or database work.</summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? token) =>
        token is not null
        && token.Length == Length
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && !token.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlAlphabet);

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
