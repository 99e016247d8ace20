using ArtifactPortal.Core.Artifacts;
using Microsoft.Extensions.Logging;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>
/// Builds the preview of one file of an artifact version, reading no more of it than the preview needs. Never throws for
/// bad content: a malformed file gives an <see cref="UnavailablePreview"/> that says what is wrong.
/// </summary>
public sealed partial class FilePreviewService(ILogger<FilePreviewService> logger)
{
    /// <param name="openRead">Opens the file's content; called at most once, and not at all for images and HTML.</param>
    public Task<FilePreview> CreateAsync(string path, long size, Func<CancellationToken, Task<Stream>> openRead, CancellationToken cancellationToken) =>
        CreateAsync(path, size, MediaTypes.For(path), openRead, cancellationToken);

    public Task<FilePreview> CreateAsync(ArtifactFileEntry file, Func<CancellationToken, Task<Stream>> openRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return CreateAsync(file.Path, file.Size, file.MediaType, openRead, cancellationToken);
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
