using System.Security.Cryptography;
using System.Text;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Tests.Common;

public class LinkSecretTests
{
    [Fact]
    public void Create_Always_Returns256BitBase64UrlTokenAndItsLowercaseSha256()
    {
        var (token, hash) = LinkSecret.Create();

        Assert.Equal(32, Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.True(LinkSecret.IsWellFormed(token));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant(), hash);
        Assert.NotEqual(token, LinkSecret.Create().Token);
    }

    [Theory]
    [InlineData("/invite/abc_DEF-123", "abc_DEF-123")]
    [InlineData("invite/abc", "abc")]
    [InlineData("/invite/abc?x=1", "abc")]
    [InlineData("/invite/", null)]
    [InlineData("/invite/a b", null)]
    [InlineData("/invite/abc/def", null)]
    [InlineData("/p/fraud", null)]
    [InlineData("https://evil.example/invite/abc", null)]
    [InlineData(null, null)]
    public void TokenFromReturnUrl_OnlyLocalInvitePaths_YieldToken(string? returnUrl, string? expected) =>
        Assert.Equal(expected, InvitationService.TokenFromReturnUrl(returnUrl));

    [Fact]
    public void IsWellFormed_LongerThanAnyToken_IsFalse() =>
        Assert.False(LinkSecret.IsWellFormed(new string('a', LinkSecret.MaxLength + 1)));
}
