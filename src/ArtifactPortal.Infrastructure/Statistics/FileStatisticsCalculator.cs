using System.Globalization;
using System.Text;
using ArtifactPortal.Core.Statistics;
using ArtifactPortal.Infrastructure.Previews;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// Statistics of CSV/TSV (optionally gzipped), Parquet and JSON Lines in one streaming pass. The content decides the format
/// where it can (gzip and Parquet magic bytes, binary files refused); the name chooses between the text formats.
/// </summary>
public sealed class FileStatisticsCalculator : IFileStatisticsCalculator
{
    private static readonly string[] TextExtensions = [".csv", ".tsv", ".tab", ".jsonl", ".ndjson"];

    private static readonly string[] MediaTypes =
        ["text/csv", "text/tab-separated-values", "application/vnd.apache.parquet", "application/x-parquet", "application/jsonl",
            "application/x-ndjson", "application/x-jsonlines"];

    public bool CanCalculate(string path, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Extension(path, out _);
        return extension is ".parquet" or ".pq" || TextExtensions.Contains(extension)
            || MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);
    }

    public async Task<FileStatistics> CalculateAsync(
        Stream content, string path, long length, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(path);
        var counting = new CountingStream(content, length, progress, cancellationToken);
        try
        {
            var statistics = await CalculateCoreAsync(counting, path, length, cancellationToken).ConfigureAwait(false);
            counting.ReportDone();
            return statistics;
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(Sentence(e.Message), e);
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException(Sentence(e.Message), e);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or NotSupportedException or OverflowException
            or InvalidOperationException or EndOfStreamException && !cancellationToken.IsCancellationRequested)
        {
            // Parquet.Net reports a damaged file with these.
            throw new DatasetFormatException(Sentence($"the file could not be read as a table: {e.Message}"), e);
        }
    }

    private static async Task<FileStatistics> CalculateCoreAsync(CountingStream counting, string path, long length, CancellationToken cancellationToken)
    {
        var extension = Extension(path, out var gzipByName);
        var raw = SniffedStream.Open(counting, int.MaxValue);
        await using (raw.ConfigureAwait(false))
        {
            var gzip = raw.Head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]);
            if (!gzip && gzipByName)
            {
                throw new InvalidDataException("the name ends in .gz but the content is not gzip-compressed.");
            }

            Stream decoded = gzip ? new GzipErrorStream(new CheckedGzipStream(raw)) : raw;
            await using (decoded.ConfigureAwait(false))
            {
                var text = SniffedStream.Open(decoded);
                await using (text.ConfigureAwait(false))
                {
                    var head = text.Head;
                    if (head.StartsWith("PAR1"u8) || extension is ".parquet" or ".pq")
                    {
                        return await ReadParquetAsync(counting, text, gzip, length, cancellationToken).ConfigureAwait(false);
                    }

                    if (BinaryKind(head) is { } binary)
                    {
                        throw new InvalidDataException($"this is not a table: the content looks like {binary}.");
                    }

                    var complete = head.Length < StatisticsLimits.SniffBytes;
                    if (extension is ".jsonl" or ".ndjson" || LooksLikeJsonLines(head))
                    {
                        return await JsonLinesStatisticsReader.ReadAsync(text, length, gzip, cancellationToken).ConfigureAwait(false);
                    }

                    var (encoding, encodingName) = DelimitedStatisticsReader.DetectEncoding(head, complete);
                    using var reader = new StreamReader(text, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
                    try
                    {
                        return DelimitedStatisticsReader.Read(reader, extension is ".tsv" or ".tab" ? '\t' : null, encodingName, gzip, length,
                            parallel: length >= DelimitedStatisticsReader.ParallelFromBytes && Environment.ProcessorCount > 1);
                    }
                    catch (DecoderFallbackException e)
                    {
                        var offset = text.LastReadStart + Math.Max(e.Index, 0);
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"invalid {(encodingName.StartsWith("utf-16", StringComparison.Ordinal) ? "UTF-16" : "UTF-8")} at byte {offset}."), e);
                    }
                }
            }
        }
    }

    private static async Task<FileStatistics> ReadParquetAsync(
        CountingStream counting, SniffedStream text, bool gzip, long length, CancellationToken cancellationToken)
    {
        if (!gzip && counting.CanSeek)
        {
            return await ParquetStatisticsReader.ReadAsync(counting, length, cancellationToken).ConfigureAwait(false);
        }

        // Parquet's footer is at the end: a stream that cannot seek (a blob, a .gz) is copied to a temporary file first.
        var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (spool.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await text.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                if (spool.Length > StatisticsLimits.MaxParquetSpoolBytes)
                {
                    throw new InvalidDataException("the Parquet file is too large to copy for reading from this storage.");
                }
            }

            return await ParquetStatisticsReader.ReadAsync(spool, length, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Extension(string path, out bool gzip)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        gzip = name.EndsWith(".gz", StringComparison.Ordinal);
        if (gzip)
        {
            name = name[..^3];
        }

        return Path.GetExtension(name);
    }

    private static string? BinaryKind(ReadOnlySpan<byte> head) => head switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => "a PNG image",
        [0xFF, 0xD8, 0xFF, ..] => "a JPEG image",
        [0x47, 0x49, 0x46, 0x38, ..] => "a GIF image",
        [0x25, 0x50, 0x44, 0x46, ..] => "a PDF document",
        [0x50, 0x4B, 0x03, 0x04, ..] => "a ZIP archive",
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => null,
        _ when head.Contains((byte)0) => "binary data (it contains NUL bytes)",
        _ => null,
    };

    private static bool LooksLikeJsonLines(ReadOnlySpan<byte> head)
    {
        var newline = head.IndexOf((byte)'\n');
        var first = (newline < 0 ? head : head[..newline]).Trim(" \t\r\uFEFF"u8);
        return first.Length >= 2 && first[0] == '{' && first[^1] == '}';
    }

    private static string Sentence(string message)
    {
        message = message.Trim();
        if (message.Length == 0)
        {
            return "The file could not be read.";
        }

        message = char.ToUpperInvariant(message[0]) + message[1..];
        return message.EndsWith('.') ? message : message + ".";
    }

    /// <summary>Names gzip as the culprit when decompression fails.</summary>
    private sealed class GzipErrorStream(Stream inner) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Guard(() => inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Describe(e);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw Describe(e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static int Guard(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (InvalidDataException e)
            {
                throw Describe(e);
            }
        }

        private static InvalidDataException Describe(InvalidDataException e) =>
            new($"gzip stream is truncated or corrupt: {e.Message}", e);
    }
}
