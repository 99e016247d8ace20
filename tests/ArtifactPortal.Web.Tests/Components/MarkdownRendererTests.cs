using ArtifactPortal.Web.Components.Shared;

namespace ArtifactPortal.Web.Tests.Components;

public sealed class MarkdownRendererTests
{
    [Fact]
    public void ToSafeHtml_Formatting_BecomesHtml()
    {
        var html = MarkdownRenderer.ToSafeHtml("# Title\n\n**bold** and [docs](https://example.com/docs)\n\n- one\n- two");

        Assert.Contains("<h1>Title</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/docs\" rel=\"nofollow noopener noreferrer\">docs</a>", html, StringComparison.Ordinal);
        Assert.Contains("<li>two</li>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("text <iframe src=\"https://evil.example\"></iframe>")]
    public void ToSafeHtml_RawHtml_IsShownAsText(string markdown)
    {
        var html = MarkdownRenderer.ToSafeHtml(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a ", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](java\tscript:alert(1))")]
    [InlineData("[click](javascript&#58;alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[click][ref]\n\n[ref]: javascript:alert(1)")]
    [InlineData("![pic](javascript:alert(1))")]
    public void ToSafeHtml_DangerousLink_PointsNowhere(string markdown)
    {
        var html = MarkdownRenderer.ToSafeHtml(markdown);

        // Either no link at all (not valid Markdown link syntax) or one that goes nowhere.
        Assert.DoesNotMatch("(href|src)=\"(?!#\")", html);
    }

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("http://example.com/a?b=c#d", true)]
    [InlineData("mailto:team@example.com", true)]
    [InlineData("/p/other-project", true)]
    [InlineData("docs/readme.md", true)]
    [InlineData("#section", true)]
    [InlineData("./a:b", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" javascript:alert(1)", false)]
    [InlineData("file:///etc/passwd", false)]
    public void IsSafeUrl_Scheme_OnlyWebMailAndRelative(string url, bool expected) =>
        Assert.Equal(expected, MarkdownRenderer.IsSafeUrl(url));

    [Fact]
    public void ToPlainText_Formatting_KeepsOnlyTheWords() =>
        Assert.Equal("Fraud detection with boosted trees.", MarkdownRenderer.ToPlainText("**Fraud detection** with _boosted_ trees."));
}
