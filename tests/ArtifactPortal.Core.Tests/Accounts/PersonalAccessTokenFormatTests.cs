using System.Security.Cryptography;
using System.Text;
using ArtifactPortal.Core.Accounts;

namespace ArtifactPortal.Core.Tests.Accounts;

public class PersonalAccessTokenFormatTests
{
    [Fact]
    public void Create_Always_ReturnsPrefixed256BitTokenItsSha256AndDisplayPrefix()
    {
        var (token, hash, displayPrefix) = PersonalAccessTokenFormat.Create();

        Assert.StartsWith("apt_", token, StringComparison.Ordinal);
        Assert.Equal(47, token.Length);
        Assert.Equal(32, Convert.FromBase64String(token[4..].Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant(), hash);
        Assert.Equal(token[4..12], displayPrefix);
        Assert.True(PersonalAccessTokenFormat.IsWellFormed(token));
        Assert.NotEqual(token, PersonalAccessTokenFormat.Create().Token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("apt_")]
    [InlineData("apt_short")]
    [InlineData("APT_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [InlineData("xyz_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [InlineData("apt_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP=")]
    [InlineData("apt_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN/PQ")]
    [InlineData("apt_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN PQ")]
    [InlineData("apt_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR")]
    public void IsWellFormed_NotAToken_IsFalse(string? candidate) => Assert.False(PersonalAccessTokenFormat.IsWellFormed(candidate));

    [Fact]
    public void IsWellFormed_Base64UrlOfTheRightLength_IsTrue() =>
        Assert.True(PersonalAccessTokenFormat.IsWellFormed("apt_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN-_Q"));

    [Theory]
    [InlineData("read", TokenScopes.Read)]
    [InlineData("write", TokenScopes.Write)]
    [InlineData("read,write", TokenScopes.Read | TokenScopes.Write)]
    [InlineData(" Write , READ ", TokenScopes.Read | TokenScopes.Write)]
    public void TryParse_KnownScopes_ParsesThem(string text, TokenScopes expected)
    {
        Assert.True(TokenScopeNames.TryParse(text, out var scopes));
        Assert.Equal(expected, scopes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(",")]
    [InlineData("admin")]
    [InlineData("read,admin")]
    public void TryParse_EmptyOrUnknown_Fails(string? text)
    {
        Assert.False(TokenScopeNames.TryParse(text, out var scopes));
        Assert.Equal(TokenScopes.None, scopes);
    }
}
