using System.Text.Encodings.Web;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>
/// A text file whole when small, else its first <see cref="PreviewLimits.HeadBytes"/> and last <see cref="PreviewLimits.TailBytes"/>:
/// seeks over the middle when the stream can, reads through it otherwise.
/// </summary>
internal static class TextExcerptReader
{
    private const int ChunkBytes = 64 * 1024;

    public static async Task<FilePreview> ReadAsync(string path, long size, string language, Stream content, CancellationToken cancellationToken)
    {
        var (head, tail) = content.CanSeek && content.Length > PreviewLimits.HeadBytes + PreviewLimits.TailBytes
            ? await SeekAsync(content, cancellationToken).ConfigureAwait(false)
            : await StreamThroughAsync(content, cancellationToken).ConfigureAwait(false);

        if (head.AsSpan(0, Math.Min(head.Length, 8192)).Contains((byte)0))
        {
            return new UnavailablePreview(path, size, "This file looks binary, so there is no text preview.");
        }

        if (tail is null)
        {
            var text = PreviewValues.DecodeUtf8(head, trimStart: false, trimEnd: false).TrimStart('\uFEFF');
            if (language == "json" && head.Length <= PreviewLimits.MaxPrettyJsonBytes)
            {
                text = Indent(text) ?? text;
            }

            return new TextPreview(path, size, language, text, null);
        }

        var headText = PreviewValues.DecodeUtf8(head, trimStart: false, trimEnd: true).TrimStart('\uFEFF');
        var tailText = PreviewValues.DecodeUtf8(tail, trimStart: true, trimEnd: false);
        return new TextPreview(path, size, language, CutAtLastLine(headText), CutAtFirstLine(tailText));
    }

    private static async Task<(byte[] Head, byte[]? Tail)> SeekAsync(Stream content, CancellationToken cancellationToken)
    {
        var head = new byte[PreviewLimits.HeadBytes];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        content.Seek(-PreviewLimits.TailBytes, SeekOrigin.End);
        var tail = new byte[PreviewLimits.TailBytes];
        var tailLength = await content.ReadAtLeastAsync(tail, tail.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return (head[..headLength], tail[..tailLength]);
    }

    private static async Task<(byte[] Head, byte[]? Tail)> StreamThroughAsync(Stream content, CancellationToken cancellationToken)
    {
        var first = new byte[PreviewLimits.HeadBytes + PreviewLimits.TailBytes];
        var firstLength = await content.ReadAtLeastAsync(first, first.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (firstLength < first.Length)
        {
            return (first[..firstLength], null);
        }

        // The window keeps the last TailBytes seen; it starts with the end of the first read.
        var window = new byte[PreviewLimits.TailBytes + ChunkBytes];
        first.AsSpan(PreviewLimits.HeadBytes).CopyTo(window);
        var windowLength = PreviewLimits.TailBytes;
        var more = false;
        int read;
        while ((read = await content.ReadAsync(window.AsMemory(windowLength), cancellationToken).ConfigureAwait(false)) > 0)
        {
            more = true;
            windowLength += read;
            if (windowLength > PreviewLimits.TailBytes)
            {
                window.AsSpan(windowLength - PreviewLimits.TailBytes, PreviewLimits.TailBytes).CopyTo(window);
                windowLength = PreviewLimits.TailBytes;
            }
        }

        return more ? (first[..PreviewLimits.HeadBytes], window[..windowLength]) : (first, null);
    }

    private static string? Indent(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return JsonSerializer.Serialize(document.RootElement, IndentedOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions IndentedOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // A cut line at either edge of the excerpt only confuses; keep whole lines when there are some.
    private static string CutAtLastLine(string text)
    {
        var newline = text.LastIndexOf('\n');
        return newline > text.Length / 2 ? text[..(newline + 1)] : text;
    }

    private static string CutAtFirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline >= 0 && newline < text.Length / 2 ? text[(newline + 1)..] : text;
    }
}
