using System.Runtime.CompilerServices;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>Chunked files assembled under <c>{root}/{uploadId}/{index}.part</c> on the node's local disk.</summary>
public sealed class FileSystemUploadStaging(string root) : IUploadStaging
{
    private const int BufferSize = 1024 * 1024;

    public async Task WriteAsync(Guid uploadId, int fileIndex, long offset, Stream content, long length, CancellationToken cancellationToken)
    {
        var path = PartPath(uploadId, fileIndex);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            file.Position = offset;
            var buffer = new byte[BufferSize];
            var remaining = length;
            while (remaining > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new PortalRequestException($"The chunk ended after {length - remaining} of its {length} bytes; send it again.");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }

            if (await content.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0)
            {
                throw new PortalRequestException($"The chunk has more than the {length} bytes its Content-Range announced.");
            }

            // The received count is saved only after this, so a crash can never count bytes that are not on disk.
            file.Flush(flushToDisk: true);
        }
    }

    public Task<long> StagedLengthAsync(Guid uploadId, int fileIndex, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PartPath(uploadId, fileIndex));
        return Task.FromResult(file.Exists ? file.Length : 0);
    }

    public Task<Stream> OpenReadAsync(Guid uploadId, int fileIndex, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(
            PartPath(uploadId, fileIndex), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan));

    public Task DeleteFileAsync(Guid uploadId, int fileIndex, CancellationToken cancellationToken)
    {
        var path = PartPath(uploadId, fileIndex);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, uploadId.ToString("N"));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<Guid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Guid.TryParseExact(Path.GetFileName(folder), "N", out var id))
            {
                yield return id;
            }
        }
    }

    private string PartPath(Guid uploadId, int fileIndex) => Path.Combine(root, uploadId.ToString("N"), $"{fileIndex}.part");
}
