using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Core.Tests.Artifacts;

public sealed class PreviewClassifierTests
{
    [Theory]
    [InlineData("data/train.csv", PreviewKind.Table, "csv")]
    [InlineData("data/train.tsv", PreviewKind.Table, "tsv")]
    [InlineData("data/part-0.parquet", PreviewKind.Table, "parquet")]
    [InlineData("events.jsonl", PreviewKind.Table, "jsonl")]
    [InlineData("plots/loss.png", PreviewKind.Image, "png")]
    [InlineData("plots/chart.svg", PreviewKind.Image, "svg")]
    [InlineData("report/index.html", PreviewKind.Html, "html")]
    [InlineData("README.md", PreviewKind.Markdown, "md")]
    [InlineData("model.safetensors", PreviewKind.Model, "safetensors")]
    [InlineData("model/MLmodel", PreviewKind.Model, "MLmodel")]
    [InlineData("model.gguf", PreviewKind.Model, "gguf")]
    [InlineData("weights.bin", PreviewKind.None, "bin")]
    [InlineData("archive.tar.gz", PreviewKind.None, "tar")]
    [InlineData("data.parquet.gz", PreviewKind.None, "parquet")]
    public void Classify_ByName_ChoosesTheKind(string path, PreviewKind kind, string format)
    {
        var plan = PreviewClassifier.Classify(path, MediaTypes.For(path), 1000);

        Assert.Equal(kind, plan.Kind);
        Assert.Equal(format, plan.Format);
    }

    [Theory]
    [InlineData("metrics.json", "json")]
    [InlineData("config.yaml", "yaml")]
    [InlineData("train.py", "python")]
    [InlineData("train.log", "log")]
    [InlineData("notes.txt", "plaintext")]
    [InlineData("pyproject.toml", "ini")]
    public void Classify_TextFile_NamesTheHighlightLanguage(string path, string language)
    {
        var plan = PreviewClassifier.Classify(path, MediaTypes.For(path), 1000);

        Assert.Equal(PreviewKind.Text, plan.Kind);
        Assert.Equal(language, plan.Language);
    }

    [Fact]
    public void Classify_GzippedCsv_IsATableReadThroughGzip()
    {
        var plan = PreviewClassifier.Classify("data/train.csv.gz", "application/gzip", 1000);

        Assert.Equal(new PreviewPlan(PreviewKind.Table, "csv", Gzipped: true), plan);
    }

    [Fact]
    public void Classify_LargeMarkdown_IsShownAsText()
    {
        var plan = PreviewClassifier.Classify("notes.md", "text/markdown", PreviewClassifier.MaxMarkdownBytes + 1);

        Assert.Equal(PreviewKind.Text, plan.Kind);
        Assert.Equal("markdown", plan.Language);
    }

    [Fact]
    public void Classify_HugeImage_IsNotShownInline()
    {
        var plan = PreviewClassifier.Classify("scan.png", "image/png", PreviewClassifier.MaxImageBytes + 1);

        Assert.Equal(PreviewKind.None, plan.Kind);
        Assert.Contains("25 MB", plan.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LICENSE", "text/plain", PreviewKind.Text)]
    [InlineData("result", "application/vnd.api+json", PreviewKind.Text)]
    [InlineData("photo.heic", "image/heic", PreviewKind.None)]
    public void Classify_UnknownExtension_FallsBackToTheMediaType(string path, string mediaType, PreviewKind kind) =>
        Assert.Equal(kind, PreviewClassifier.Classify(path, mediaType, 1000).Kind);
}
