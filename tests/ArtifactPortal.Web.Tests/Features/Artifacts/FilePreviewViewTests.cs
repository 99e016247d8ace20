using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public sealed class FilePreviewViewTests : PortalComponentTestBase
{
    [Fact]
    public void Render_Table_ShowsHeaderAndRows()
    {
        var preview = new TablePreview("data/train.csv", 2048, "CSV", ["name", "score"],
            [["Smith, Jane", "0.91"], ["Lee", null]], HasMoreRows: true);

        var view = Context.Render<FilePreviewView>(p => p.Add(v => v.Preview, preview));

        Assert.Equal(["#", "name", "score"], view.FindAll("thead th").Select(th => th.TextContent));
        var rows = view.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["1", "Smith, Jane", "0.91"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal("null", rows[1].QuerySelectorAll("td")[2].TextContent);
        Assert.Contains("First 2 rows · 2 columns · CSV", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TableWithWarning_ShowsWhatWentWrong()
    {
        var preview = new TablePreview("bad.csv", 10, "CSV", ["a"], [["1"]], false, "Could not read this CSV after row 1: row 2 has 1 column(s).");

        var view = Context.Render<FilePreviewView>(p => p.Add(v => v.Preview, preview));

        Assert.Contains("Could not read this CSV after row 1", view.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TruncatedText_ShowsHeadNoticeWithDownloadAndTail()
    {
        var preview = new TextPreview("logs/train.log", 5 * 1024 * 1024, "log", "step 0 loss=1.0\n", "ERROR finished badly\n");

        var view = Context.Render<FilePreviewView>(p => p
            .Add(v => v.Preview, preview)
            .Add(v => v.DownloadUrl, "/files/train.log?download=1"));

        var code = view.FindAll("pre code");
        Assert.Equal(2, code.Count);
        Assert.Equal("step 0 loss=1.0\n", code[0].TextContent);
        Assert.Equal("ERROR finished badly\n", code[1].TextContent);
        Assert.Equal("language-log", code[0].GetAttribute("class"));
        var notice = view.Find("[role=status]");
        Assert.Contains("5.0 MB", notice.TextContent, StringComparison.Ordinal);
        Assert.Equal("/files/train.log?download=1", notice.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Render_Text_AsksTheModuleToHighlightIt()
    {
        var module = Context.JSInterop.SetupModule("./Features/Artifacts/FilePreviewView.razor.js");
        var preview = new TextPreview("config.json", 20, "json", "{\n  \"lr\": 0.1\n}", null);

        Context.Render<FilePreviewView>(p => p.Add(v => v.Preview, preview));

        var call = module.VerifyInvoke("highlight");
        Assert.Equal("json", call.Arguments[1]);
    }

    [Fact]
    public void Render_Html_IsInAFrameThatMayRunScriptsButIsNotSameOrigin()
    {
        var view = Context.Render<FilePreviewView>(p => p
            .Add(v => v.Preview, new HtmlPreview("report/index.html", 1000))
            .Add(v => v.SandboxUrl, "/sandbox/abc/index.html"));

        var frame = view.Find("iframe");
        Assert.Equal("allow-scripts", frame.GetAttribute("sandbox"));
        Assert.DoesNotContain("allow-same-origin", frame.OuterHtml, StringComparison.Ordinal);
        Assert.Equal("/sandbox/abc/index.html", frame.GetAttribute("src"));
        Assert.Equal("Preview of index.html", frame.GetAttribute("title"));
    }

    [Fact]
    public void Render_Image_UsesTheContentUrl()
    {
        var view = Context.Render<FilePreviewView>(p => p
            .Add(v => v.Preview, new ImagePreview("plots/loss.png", 1000))
            .Add(v => v.ContentUrl, "/files/abc/plots/loss.png"));

        var image = view.Find("img");
        Assert.Equal("/files/abc/plots/loss.png", image.GetAttribute("src"));
        Assert.Equal("loss.png", image.GetAttribute("alt"));
    }

    [Fact]
    public void Render_Markdown_IsRenderedSafely()
    {
        var view = Context.Render<FilePreviewView>(p => p
            .Add(v => v.Preview, new MarkdownPreview("README.md", 40, "# Model card\n\n<script>alert(1)</script>")));

        Assert.Equal("Model card", view.Find("h1").TextContent);
        Assert.Empty(view.FindAll("script"));
    }

    [Fact]
    public void Render_Model_ListsFrameworkAndFacts()
    {
        var preview = new ModelPreview("model.safetensors", 1024, "safetensors", "safetensors",
            [new("Tensors", "3"), new("Parameters", "64,650")]);

        var view = Context.Render<FilePreviewView>(p => p.Add(v => v.Preview, preview));

        var facts = view.FindAll("dl dt").Zip(view.FindAll("dl dd"), (k, v) => (k.TextContent, v.TextContent)).ToList();
        Assert.Contains(("Tensors", "3"), facts);
        Assert.Contains(("Parameters", "64,650"), facts);
        Assert.Contains(("Size", "1.0 KB (1,024 bytes)"), facts);
        Assert.Contains("safetensors", view.Find(".mud-chip").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Unavailable_SaysWhyAndOffersTheDownload()
    {
        var view = Context.Render<FilePreviewView>(p => p
            .Add(v => v.Preview, new UnavailablePreview("bad.parquet", 10, "Could not read this Parquet file: not a Parquet file.", IsError: true))
            .Add(v => v.DownloadUrl, "/download/bad.parquet"));

        var alert = view.Find("[role=status]");
        Assert.Contains("Could not read this Parquet file", alert.TextContent, StringComparison.Ordinal);
        Assert.Equal("/download/bad.parquet", alert.QuerySelector("a")!.GetAttribute("href"));
    }
}
