using ArtifactPortal.Core.Artifacts;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>
/// Builds the preview of one file of an artifact version, reading no more of it than the preview needs. Never throws for
/// bad content: a malformed file gives an <see cref="UnavailablePreview"/> that says what is wrong.
/// </summary>
public sealed partial class FilePreviewService(ILogger<FilePreviewService> logger) : IDisposable
{
    /// <summary>What the previews of stored files may hold in memory, roughly (the largest is a 100-row table).</summary>
    public const long CacheBytes = 64L * 1024 * 1024;

    // Stored files by content hash: the content under a hash never changes, so a kept preview is never stale, on any node.
    // Every render of a version page (prerender and circuit alike) shows one; without this each read and parsed the file.
    private readonly MemoryCache _stored = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    /// <param name="openRead">Opens the file's content; called at most once, and not at all for images and HTML.</param>
    public Task<FilePreview> CreateAsync(string path, long size, Func<CancellationToken, Task<Stream>> openRead, CancellationToken cancellationToken) =>
        CreateAsync(path, size, MediaTypes.For(path), openRead, cancellationToken);

    /// <summary>The preview of a stored file, kept in memory by content hash (a failed read is tried again next time).</summary>
    public async Task<FilePreview> CreateAsync(ArtifactFileEntry file, Func<CancellationToken, Task<Stream>> openRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var key = (file.Sha256, file.Path, file.MediaType);
        if (_stored.TryGetValue(key, out FilePreview? kept))
        {
            return kept!;
        }

        var preview = await CreateAsync(file.Path, file.Size, file.MediaType, openRead, cancellationToken).ConfigureAwait(false);
        if (preview is not UnavailablePreview { IsError: true })
        {
            _stored.Set(key, preview, new MemoryCacheEntryOptions { Size = EstimateBytes(preview), SlidingExpiration = TimeSpan.FromHours(1) });
        }

        return preview;
    }

    public async Task<FilePreview> CreateAsync(
        string path, long size, string? mediaType, Func<CancellationToken, Task<Stream>> openRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(openRead);
        var plan = PreviewClassifier.Classify(path, mediaType, size);
        switch (plan.Kind)
        {
            case PreviewKind.None:
                return new UnavailablePreview(path, size, plan.Reason ?? "There is no preview for this kind of file.");
            case PreviewKind.Image:
                return new ImagePreview(path, size);
            case PreviewKind.Html:
                return new HtmlPreview(path, size);
        }

        try
        {
            var stream = await openRead(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var content = plan.Gzipped ? new CheckedGzipStream(stream) : stream;
                await using (content.ConfigureAwait(false))
                {
                    return await ReadAsync(path, size, plan, content, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnreadable(logger, path, e);
            return new UnavailablePreview(path, size, $"Could not read this {Describe(plan)}: {Reason(e)}", IsError: true);
        }
    }

    private static Task<FilePreview> ReadAsync(string path, long size, PreviewPlan plan, Stream content, CancellationToken cancellationToken) =>
        plan.Kind switch
        {
            PreviewKind.Table when plan.Format == "parquet" => ParquetTableReader.ReadAsync(path, size, content, cancellationToken),
            PreviewKind.Table when plan.Format is "jsonl" or "ndjson" => JsonLinesTableReader.ReadAsync(path, size, content, cancellationToken),
            PreviewKind.Table => Task.FromResult(DelimitedTableReader.Read(path, size, content, tabSeparated: plan.Format == "tsv")),
            PreviewKind.Markdown => ReadMarkdownAsync(path, size, content, cancellationToken),
            PreviewKind.Model => ModelSummaryReader.ReadAsync(path, size, plan.Format, content, cancellationToken),
            _ => TextExcerptReader.ReadAsync(path, size, plan.Language ?? "plaintext", content, cancellationToken),
        };

    private static async Task<FilePreview> ReadMarkdownAsync(string path, long size, Stream content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content);
        var markdown = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return new MarkdownPreview(path, size, markdown);
    }

    private static long EstimateBytes(FilePreview preview) => 256 + (2 * preview switch
    {
        TablePreview table => table.Columns.Sum(c => c.Length + 16L) + table.Rows.Sum(row => row.Sum(cell => (cell?.Length ?? 0) + 16L)),
        TextPreview text => text.Head.Length + (text.Tail?.Length ?? 0L),
        MarkdownPreview markdown => markdown.Markdown.Length,
        ModelPreview model => model.Details.Sum(d => d.Key.Length + d.Value.Length + 16L),
        _ => 0L,
    });

    public void Dispose() => _stored.Dispose();

    private static string Describe(PreviewPlan plan) => plan.Kind switch
    {
        PreviewKind.Table or PreviewKind.Model => plan.Format switch
        {
            "jsonl" or "ndjson" => "JSON Lines file",
            "MLmodel" => "MLmodel file",
            var format => format.ToUpperInvariant() is var upper && upper.Length <= 4 ? upper + " file" : format + " file",
        },
        _ => "file",
    };

    private static string Reason(Exception e)
    {
        var message = e.Message.TrimEnd();
        return message.EndsWith('.') ? message : message + ".";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No preview for {Path}: the content could not be read")]
    private static partial void LogUnreadable(ILogger logger, string path, Exception exception);
}
