using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure.Previews;
using Microsoft.Extensions.Logging.Abstractions;
using Parquet;
using Parquet.Serialization;

namespace ArtifactPortal.IntegrationTests.Artifacts;

public sealed class FilePreviewServiceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("artifactportal-previews-").FullName;
    private readonly FilePreviewService _previews = new(NullLogger<FilePreviewService>.Instance);

    [Fact]
    public async Task CreateAsync_CsvWithQuotedCommas_ShowsHeaderAndCells()
    {
        var path = await WriteTextAsync("metrics.csv", "name,comment,score\n\"Smith, Jane\",\"said \"\"hi\"\", left\",0.91\nLee,plain,0.5\n");

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal("CSV", table.Format);
        Assert.Equal(["name", "comment", "score"], table.Columns);
        Assert.Equal(["Smith, Jane", "said \"hi\", left", "0.91"], table.Rows[0]);
        Assert.Equal(2, table.Rows.Count);
        Assert.False(table.HasMoreRows);
    }

    [Fact]
    public async Task CreateAsync_CsvWithSemicolons_DetectsTheDelimiter()
    {
        var path = await WriteTextAsync("eu.csv", "city;temperature\nParis;12,5\nBerlin;9,0\n");

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal(["city", "temperature"], table.Columns);
        Assert.Equal(["Paris", "12,5"], table.Rows[0]);
    }

    [Fact]
    public async Task CreateAsync_TsvWithCommasInCells_SplitsOnTabsOnly()
    {
        var path = await WriteTextAsync("pairs.tsv", "text\tlabel\nhello, world\tpositive\n");

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal("TSV", table.Format);
        Assert.Equal(["hello, world", "positive"], table.Rows[0]);
    }

    [Fact]
    public async Task CreateAsync_GzippedCsvWithManyRows_ShowsTheFirstHundredAndSaysThereAreMore()
    {
        var csv = new StringBuilder("id,value\n");
        for (var i = 0; i < 5000; i++)
        {
            csv.Append(i).Append(',').Append(i * 2).Append('\n');
        }

        var path = await WriteBytesAsync("big.csv.gz", Gzip(Encoding.UTF8.GetBytes(csv.ToString())));

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal(PreviewLimits.MaxRows, table.Rows.Count);
        Assert.Equal(["99", "198"], table.Rows[^1]);
        Assert.True(table.HasMoreRows);
    }

    [Fact]
    public async Task CreateAsync_CsvWithARaggedRow_KeepsTheRowsBeforeAndSaysWhatIsWrong()
    {
        var path = await WriteTextAsync("ragged.csv", "a,b,c\n1,2,3\n4,5\n");

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal(["1", "2", "3"], Assert.Single(table.Rows));
        Assert.StartsWith("Could not read this CSV after row 1:", table.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_SmallGzippedTsv_ReadsToTheEndWithoutComplaint()
    {
        var path = await WriteBytesAsync("small.tsv.gz", Gzip(Encoding.UTF8.GetBytes("a\tb\n1\t2\n3\t4\n")));

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path, forwardOnly: true));

        Assert.Equal(["3", "4"], table.Rows[^1]);
        Assert.Null(table.Warning);
    }

    [Fact]
    public async Task CreateAsync_GzippedCsvCutShort_SaysWhatIsWrong()
    {
        var compressed = Gzip(Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{i},{i * 7919}\n"))));
        var path = await WriteBytesAsync("cut.csv.gz", compressed[..(compressed.Length / 2)]);

        var preview = await PreviewAsync(path);

        var message = preview switch
        {
            TablePreview table => table.Warning,
            UnavailablePreview unavailable => unavailable.Message,
            _ => null,
        };
        Assert.StartsWith("Could not read this CSV", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ParquetWithSeveralRowGroups_ShowsTheFirstHundredRows()
    {
        var path = Path.Combine(_folder, "scores.parquet");
        var rows = Enumerable.Range(0, 250).Select(i => new ScoreRow { Id = i, Label = $"item {i}", Score = i / 10.0 }).ToList();
        await using (var file = File.Create(path))
        {
            await ParquetSerializer.SerializeAsync(rows, file, new ParquetOptions { RowGroupSize = 60 });
        }

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal("Parquet", table.Format);
        Assert.Equal(["Id", "Label", "Score"], table.Columns);
        Assert.Equal(PreviewLimits.MaxRows, table.Rows.Count);
        Assert.Equal(["99", "item 99", "9.9"], table.Rows[^1]);
        Assert.True(table.HasMoreRows);
    }

    [Fact]
    public async Task CreateAsync_ParquetFromAStreamThatCannotSeek_StillShowsRows()
    {
        var path = Path.Combine(_folder, "small.parquet");
        await using (var file = File.Create(path))
        {
            await ParquetSerializer.SerializeAsync(new[] { new ScoreRow { Id = 1, Label = "one", Score = 1 } }, file);
        }

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path, forwardOnly: true));

        Assert.Equal(["1", "one", "1"], Assert.Single(table.Rows));
    }

    [Fact]
    public async Task CreateAsync_NotParquet_SaysWhatIsWrong()
    {
        var path = await WriteTextAsync("fake.parquet", "this is not parquet at all");

        var preview = Assert.IsType<UnavailablePreview>(await PreviewAsync(path));

        Assert.True(preview.IsError);
        Assert.StartsWith("Could not read this Parquet", preview.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_JsonLinesWithNestedObjects_FlattensThemToColumns()
    {
        var path = await WriteTextAsync("events.jsonl", "{\"id\":1,\"user\":{\"name\":\"ana\"},\"tags\":[\"a\",\"b\"]}\n\n{\"id\":2,\"extra\":null}\n");

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Equal(["id", "user.name", "tags", "extra"], table.Columns);
        Assert.Equal(["1", "ana", "[\"a\",\"b\"]", null], table.Rows[0]);
        Assert.Equal(["2", null, null, null], table.Rows[1]);
    }

    [Fact]
    public async Task CreateAsync_JsonLinesWithABadLine_SaysWhichLine()
    {
        var path = await WriteTextAsync("bad.jsonl", "{\"id\":1}\n{oops\n");

        var table = Assert.IsType<TablePreview>(await PreviewAsync(path));

        Assert.Contains("line 2 is not JSON", table.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateAsync_FiveMegabyteLog_GivesHeadAndTailOnly(bool forwardOnly)
    {
        var log = new StringBuilder();
        for (var i = 0; log.Length < 5 * 1024 * 1024; i++)
        {
            log.Append("2026-11-27 12:00:00 INFO step ").Append(i).Append(" loss=0.123\n");
        }

        log.Append("2026-11-27 13:00:00 ERROR training finished badly\n");
        var path = await WriteTextAsync("train.log", log.ToString());

        var text = Assert.IsType<TextPreview>(await PreviewAsync(path, forwardOnly));

        Assert.True(text.IsTruncated);
        Assert.Equal("log", text.Language);
        Assert.StartsWith("2026-11-27 12:00:00 INFO step 0 loss", text.Head, StringComparison.Ordinal);
        Assert.EndsWith("ERROR training finished badly\n", text.Tail, StringComparison.Ordinal);
        Assert.True(text.Head.Length <= PreviewLimits.HeadBytes);
        Assert.True(text.Tail!.Length <= PreviewLimits.TailBytes);
        Assert.StartsWith("2026-11-27", text.Tail, StringComparison.Ordinal);
        Assert.Equal(new FileInfo(path).Length, text.Size);
    }

    [Fact]
    public async Task CreateAsync_SeekableLog_ReadsLittleMoreThanHeadAndTail()
    {
        var path = await WriteBytesAsync("big.log", Enumerable.Repeat((byte)'x', 8 * 1024 * 1024).ToArray());
        var stream = new CountingStream(File.OpenRead(path), seekable: true);

        await _previews.CreateAsync("big.log", new FileInfo(path).Length, _ => Task.FromResult<Stream>(stream), CancellationToken.None);

        Assert.InRange(stream.BytesRead, 1, PreviewLimits.HeadBytes + PreviewLimits.TailBytes);
    }

    [Fact]
    public async Task CreateAsync_SmallJson_IsIndented()
    {
        var path = await WriteTextAsync("config.json", "{\"lr\":0.001,\"layers\":[64,32]}");

        var text = Assert.IsType<TextPreview>(await PreviewAsync(path));

        Assert.Equal("json", text.Language);
        Assert.Contains("\n  \"lr\": 0.001,", text.Head, StringComparison.Ordinal);
        Assert.False(text.IsTruncated);
    }

    [Fact]
    public async Task CreateAsync_Markdown_GivesTheText()
    {
        var path = await WriteTextAsync("README.md", "# Model card\n\nTrained on **data**.");

        var markdown = Assert.IsType<MarkdownPreview>(await PreviewAsync(path));

        Assert.Equal("# Model card\n\nTrained on **data**.", markdown.Markdown);
    }

    [Theory]
    [InlineData("plots/loss.png")]
    [InlineData("report/index.html")]
    public async Task CreateAsync_ImageOrHtml_DoesNotOpenTheFile(string path)
    {
        var preview = await _previews.CreateAsync(path, 10, _ => throw new InvalidOperationException("opened"), CancellationToken.None);

        Assert.IsNotType<UnavailablePreview>(preview);
    }

    [Fact]
    public async Task CreateAsync_Safetensors_CountsTensorsParametersAndDtypes()
    {
        var header = """{"__metadata__":{"format":"pt"},"embed.weight":{"dtype":"F32","shape":[1000,64],"data_offsets":[0,256000]},"head.bias":{"dtype":"BF16","shape":[10],"data_offsets":[256000,256020]},"head.weight":{"dtype":"F32","shape":[10,64],"data_offsets":[256020,258580]}}""";
        var path = await WriteBytesAsync("model.safetensors", [.. SafetensorsPrefix(header), .. Encoding.UTF8.GetBytes(header), .. new byte[258580]]);

        var model = Assert.IsType<ModelPreview>(await PreviewAsync(path));

        Assert.Equal("safetensors", model.Framework);
        Assert.Equal("3", Detail(model, "Tensors"));
        Assert.Equal("64,650", Detail(model, "Parameters"));
        Assert.Equal("BF16 × 1, F32 × 2", Detail(model, "Data types"));
        Assert.Equal("pt", Detail(model, "Metadata: format"));
    }

    [Fact]
    public async Task CreateAsync_SafetensorsWithAnImpossibleHeaderLength_SaysWhatIsWrong()
    {
        var path = await WriteBytesAsync("broken.safetensors", [.. BitConverter.GetBytes(ulong.MaxValue / 2), 1, 2, 3]);

        var preview = Assert.IsType<UnavailablePreview>(await PreviewAsync(path));

        Assert.StartsWith("Could not read this safetensors file: its header length", preview.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_MlflowModel_SummarizesFlavorsAndSignature()
    {
        var path = await WriteTextAsync("model/MLmodel", """
            artifact_path: model
            flavors:
              python_function:
                env:
                  conda: conda.yaml
                loader_module: mlflow.sklearn
                python_version: 3.11.4
              sklearn:
                pickled_model: model.pkl
                serialization_format: cloudpickle
                sklearn_version: 1.3.0
            mlflow_version: 2.9.2
            model_uuid: 4f1c
            signature:
              inputs: '[{"name": "age", "type": "double"}, {"name": "city", "type": "string"}]'
              outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
            utc_time_created: '2026-11-27 12:00:00.000000'
            """);

        var model = Assert.IsType<ModelPreview>(await PreviewAsync(path));

        Assert.Equal("MLflow", model.Framework);
        Assert.Equal("2.9.2", Detail(model, "MLflow version"));
        Assert.Equal("python_function, sklearn", Detail(model, "Flavors"));
        Assert.Equal("serialization_format: cloudpickle, sklearn_version: 1.3.0", Detail(model, "Flavor sklearn"));
        Assert.Equal("age (double), city (string)", Detail(model, "Signature inputs"));
        Assert.Equal("tensor float64 [-1]", Detail(model, "Signature outputs"));
    }

    [Fact]
    public async Task CreateAsync_MalformedMlflowModel_SaysWhatIsWrong()
    {
        var path = await WriteTextAsync("MLmodel", "flavors: [unclosed\n  - : :");

        var preview = Assert.IsType<UnavailablePreview>(await PreviewAsync(path));

        Assert.StartsWith("Could not read this MLmodel file:", preview.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_Gguf_ReadsCountsAndScalarMetadata()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("GGUF"u8);
            writer.Write(3u);
            writer.Write(291UL);
            writer.Write(3UL);
            WriteGgufString(writer, "general.architecture");
            writer.Write(8u);
            WriteGgufString(writer, "llama");
            WriteGgufString(writer, "tokenizer.ggml.tokens");
            writer.Write(9u);
            writer.Write(8u);
            writer.Write(2UL);
            WriteGgufString(writer, "<s>");
            WriteGgufString(writer, "</s>");
            WriteGgufString(writer, "llama.context_length");
            writer.Write(4u);
            writer.Write(4096u);
        }

        var path = await WriteBytesAsync("tiny.gguf", buffer.ToArray());

        var model = Assert.IsType<ModelPreview>(await PreviewAsync(path));

        Assert.Equal("291", Detail(model, "Tensors"));
        Assert.Equal("llama", Detail(model, "general.architecture"));
        Assert.Equal("4096", Detail(model, "llama.context_length"));
        Assert.Null(Detail(model, "tokenizer.ggml.tokens"));
    }

    [Fact]
    public async Task CreateAsync_Onnx_ReadsProducerAndOpsets()
    {
        byte[] producer = [.. "pytorch"u8];
        byte[] opset = [0x10, 17];
        byte[] graph = [.. new byte[300]];
        byte[] onnx =
        [
            0x08, 8,
            0x12, (byte)producer.Length, .. producer,
            0x3A, 0xAC, 0x02, .. graph,
            0x42, (byte)opset.Length, .. opset,
        ];
        var path = await WriteBytesAsync("model.onnx", onnx);

        var model = Assert.IsType<ModelPreview>(await PreviewAsync(path, forwardOnly: true));

        Assert.Equal("8", Detail(model, "IR version"));
        Assert.Equal("pytorch", Detail(model, "Producer"));
        Assert.Equal("ai.onnx 17", Detail(model, "Opsets"));
    }

    [Fact]
    public async Task CreateAsync_Pickle_WarnsThatLoadingRunsCode()
    {
        var path = await WriteBytesAsync("model.pkl", [0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'.']);

        var model = Assert.IsType<ModelPreview>(await PreviewAsync(path));

        Assert.Equal("4", Detail(model, "Pickle protocol"));
        Assert.Contains("runs code", model.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_PyTorchZip_IsRecognised()
    {
        var path = Path.Combine(_folder, "weights.pt");
        await using (var file = File.Create(path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            zip.CreateEntry("archive/data.pkl");
            zip.CreateEntry("archive/data/0");
            zip.CreateEntry("archive/data/1");
            zip.CreateEntry("archive/version");
        }

        var model = Assert.IsType<ModelPreview>(await PreviewAsync(path));

        Assert.Equal("PyTorch", model.Framework);
        Assert.Equal("2", Detail(model, "Tensor storages"));
    }

    [Fact]
    public async Task CreateAsync_BinaryWithTextExtension_SaysItLooksBinary()
    {
        var path = await WriteBytesAsync("notes.txt", [0x00, 0x01, 0x02, 0xFF]);

        var preview = Assert.IsType<UnavailablePreview>(await PreviewAsync(path));

        Assert.Contains("binary", preview.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_SameStoredFileTwice_ReadsItOnce()
    {
        var path = await WriteTextAsync("README.md", "# Model card\n\nTrained on March data.\n");
        var file = new ArtifactFileEntry("README.md", new FileInfo(path).Length, new string('a', 64), "text/markdown");
        var opened = 0;

        var first = await _previews.CreateAsync(file, OpenAsync, CancellationToken.None);
        var second = await _previews.CreateAsync(file, OpenAsync, CancellationToken.None);

        Assert.Equal("# Model card\n\nTrained on March data.\n", Assert.IsType<MarkdownPreview>(first).Markdown);
        Assert.Same(first, second);
        Assert.Equal(1, opened);

        Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            opened++;
            return Task.FromResult<Stream>(File.OpenRead(path));
        }
    }

    [Fact]
    public async Task CreateAsync_StoredFileThatFailedToRead_IsReadAgainNextTime()
    {
        var path = await WriteTextAsync("scores.csv", "model,auc\nresnet,0.91\n");
        var file = new ArtifactFileEntry("scores.csv", new FileInfo(path).Length, new string('b', 64), "text/csv");
        var opened = 0;

        var failed = await _previews.CreateAsync(file, OpenAsync, CancellationToken.None);
        var retried = await _previews.CreateAsync(file, OpenAsync, CancellationToken.None);

        Assert.True(Assert.IsType<UnavailablePreview>(failed).IsError);
        Assert.Equal(["resnet", "0.91"], Assert.IsType<TablePreview>(retried).Rows[0]);
        Assert.Equal(2, opened);

        Task<Stream> OpenAsync(CancellationToken cancellationToken) => ++opened == 1
            ? throw new IOException("The storage account did not answer.")
            : Task.FromResult<Stream>(File.OpenRead(path));
    }

    public void Dispose()
    {
        _previews.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<FilePreview> PreviewAsync(string path, bool forwardOnly = false)
    {
        var relative = Path.GetRelativePath(_folder, path).Replace('\\', '/');
        return _previews.CreateAsync(relative, new FileInfo(path).Length,
            _ => Task.FromResult<Stream>(new CountingStream(File.OpenRead(path), seekable: !forwardOnly)), CancellationToken.None);
    }

    private async Task<string> WriteTextAsync(string name, string text) => await WriteBytesAsync(name, Encoding.UTF8.GetBytes(text));

    private async Task<string> WriteBytesAsync(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] SafetensorsPrefix(string header)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)Encoding.UTF8.GetByteCount(header));
        return prefix;
    }

    private static void WriteGgufString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static string? Detail(ModelPreview model, string key) =>
        model.Details.Where(d => d.Key == key).Select(d => d.Value).FirstOrDefault();

    public sealed class ScoreRow
    {
        public int Id { get; set; }

        public string Label { get; set; } = "";

        public double Score { get; set; }
    }
}
