using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Core.Tests.Artifacts;

public sealed class MediaTypesTests
{
    [Theory]
    [InlineData("data/train.csv", "text/csv")]
    [InlineData("data/train.TSV", "text/tab-separated-values")]
    [InlineData("data/part-0.parquet", "application/vnd.apache.parquet")]
    [InlineData("events.jsonl", "application/jsonl")]
    [InlineData("events.ndjson", "application/x-ndjson")]
    [InlineData("config.yaml", "application/yaml")]
    [InlineData("config.yml", "application/yaml")]
    [InlineData("README.md", "text/markdown")]
    [InlineData("train.log", "text/plain")]
    [InlineData("model.pt", "application/x-pytorch")]
    [InlineData("model.pth", "application/x-pytorch")]
    [InlineData("model.onnx", "application/x-onnx")]
    [InlineData("model.safetensors", "application/x-safetensors")]
    [InlineData("model.pkl", "application/x-python-pickle")]
    [InlineData("model.h5", "application/x-hdf5")]
    [InlineData("llama.gguf", "application/x-gguf")]
    [InlineData("last.ckpt", "application/x-checkpoint")]
    [InlineData("model/MLmodel", "application/x-mlflow-model+yaml")]
    [InlineData("data.csv.gz", "application/gzip")]
    [InlineData("plots/loss.png", "image/png")]
    [InlineData("report.html", "text/html")]
    [InlineData("metrics.json", "application/json")]
    [InlineData("weights.bin", "application/octet-stream")]
    [InlineData("no-extension", "application/octet-stream")]
    public void For_KnownAndUnknownNames_GivesTheMediaType(string path, string expected) =>
        Assert.Equal(expected, MediaTypes.For(path));

    [Theory]
    [InlineData("a/b/c.txt", "c.txt")]
    [InlineData("c.txt", "c.txt")]
    [InlineData("a\\b.txt", "b.txt")]
    public void FileName_Path_GivesTheLastSegment(string path, string expected) => Assert.Equal(expected, MediaTypes.FileName(path));
}
