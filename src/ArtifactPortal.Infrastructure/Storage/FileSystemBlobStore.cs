using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>
/// Blobs under <c>&lt;root&gt;/ab/cd/&lt;hash&gt;</c>; a put writes <c>&lt;root&gt;/.tmp/&lt;id&gt;.part</c>, fsyncs it and links it
/// into place, so a reader never sees a partial file and a crash leaves only the temporary.
/// </summary>
public sealed partial class FileSystemBlobStore : IBlobStore, IBlobStoreProbe
{
    public const string TemporaryFolderName = ".tmp";
    private const string TemporarySuffix = ".part";
    private const int ChunkSize = 1024 * 1024;
    private const long WritebackStep = 8 * 1024 * 1024;

    private readonly TimeProvider _time;

    public FileSystemBlobStore(string rootPath, TimeProvider time)
    {
        RootPath = Path.GetFullPath(rootPath);
        TemporaryPath = Path.Combine(RootPath, TemporaryFolderName);
        _time = time;
    }

    public string RootPath { get; }

    public string TemporaryPath { get; }

    public async Task<StoredBlob> PutAsync(Stream content, string? expectedSha256, long? maxBytes, CancellationToken cancellationToken)
    {
        BlobUpload.CheckArguments(content, ref expectedSha256, maxBytes);
        Directory.CreateDirectory(TemporaryPath);
        var temporary = Path.Combine(TemporaryPath, Guid.NewGuid().ToString("N") + TemporarySuffix);
        try
        {
            var (sha256, length) = await WriteTemporaryAsync(content, temporary, expectedSha256, maxBytes, cancellationToken)
                .ConfigureAwait(false);
            var stored = MoveIntoPlace(temporary, sha256);
            return new StoredBlob(sha256, length, AlreadyExisted: !stored);
        }
        finally
        {
            // Gone after a successful link too; a killed process leaves it for ListAbandonedTemporaryAsync.
            TryDelete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = BlobPath(sha256);
        try
        {
            // Seekable, so downloads can serve HTTP Range requests; FileShare.Delete lets cleanup remove a blob being read.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(BlobPath(sha256)));

    public Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = BlobPath(sha256);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(RootPath))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, AttributesToSkip = 0 };
        foreach (var path in Directory.EnumerateFiles(RootPath, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            // Only files at their own address count; temporaries and strays are not blobs.
            if (BlobHash.IsValid(name) && string.Equals(path, BlobPath(name), StringComparison.Ordinal))
            {
                var file = new FileInfo(path);
                if (file.Exists)
                {
                    yield return new BlobInfo(name, file.Length, file.LastWriteTimeUtc);
                }
            }

            await Task.Yield();
        }
    }

    public async IAsyncEnumerable<TemporaryBlobInfo> ListAbandonedTemporaryAsync(TimeSpan olderThan,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(TemporaryPath))
        {
            yield break;
        }

        var cutoff = _time.GetUtcNow() - olderThan;
        foreach (var file in new DirectoryInfo(TemporaryPath).EnumerateFiles("*" + TemporarySuffix))
        {
            cancellationToken.ThrowIfCancellationRequested();
            file.Refresh();
            if (file.Exists && IsTemporaryName(file.Name) && file.LastWriteTimeUtc <= cutoff)
            {
                yield return new TemporaryBlobInfo(file.Name, file.Length, file.LastWriteTimeUtc);
            }

            await Task.Yield();
        }
    }

    public Task<bool> DeleteTemporaryAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsTemporaryName(name))
        {
            throw new ArgumentException($"'{name}' is not the name of a temporary blob.", nameof(name));
        }

        var path = Path.Combine(TemporaryPath, name);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    public async Task<string> ProbeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(TemporaryPath);
        var probe = Path.Combine(TemporaryPath, $"health-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
        File.Delete(probe);
        return "File system blob store is writable.";
    }

    /// <summary>The path of a blob; the hash is validated first so no path is ever built from other input.</summary>
    public string BlobPath(string sha256)
    {
        BlobHash.Validate(sha256);
        return Path.Combine(RootPath, sha256[..2], sha256[2..4], sha256);
    }

    private static async Task<(string Sha256, long Length)> WriteTemporaryAsync(Stream content, string temporary,
        string? expectedSha256, long? maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
        using var file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        // The write of one chunk overlaps receiving and hashing the next; two chunks are the whole memory cost.
        Task pendingWrite = Task.CompletedTask;
        try
        {
            long length = 0;
            var writeback = new Writeback(file);
            while (true)
            {
                var read = await BlobUpload.FillAsync(content, current.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                BlobUpload.CheckLength(length, maxBytes);
                hash.AppendData(current, 0, read);
                await pendingWrite.ConfigureAwait(false);
                var chunk = new ReadOnlyMemory<byte>(current, 0, read);
                var offset = length - read;
                pendingWrite = Task.Run(() =>
                {
                    RandomAccess.Write(file, chunk.Span, offset);
                    writeback.Written(offset + chunk.Length);
                }, cancellationToken);
                (current, next) = (next, current);
            }

            await pendingWrite.ConfigureAwait(false);
            var sha256 = BlobUpload.Finish(hash, expectedSha256, length);
            // Durable before it becomes visible: the data reaches the disk before the link names it.
            RandomAccess.FlushToDisk(file);
            return (sha256, length);
        }
        finally
        {
            // Never return a buffer that a write still reads.
            await pendingWrite.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)
                .ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>
    /// Streams a long write through a small window of the page cache: every <see cref="WritebackStep"/> the last step's
    /// writeback starts, and the step before it, by now on the disk, is waited for and dropped from the cache (ADR 017).
    /// Files under two steps keep all their pages cached (previews and thumbnails read them right after the upload).
    /// Used by one write at a time, on the thread of that write.
    /// </summary>
    private sealed class Writeback(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        private long _started;
        private long _dropped;

        public void Written(long end)
        {
            if (end - _started < WritebackStep)
            {
                return;
            }

            DiskSync.StartWriteback(file, _started, end - _started);
            if (_started - _dropped >= WritebackStep)
            {
                DiskSync.FinishWritebackAndDrop(file, _dropped, _started - _dropped);
                _dropped = _started;
            }

            _started = end;
        }
    }

    /// <summary>Links the temporary under its hash; false when the blob was already there (the copy is dropped).</summary>
    private bool MoveIntoPlace(string temporary, string sha256)
    {
        var target = BlobPath(sha256);
        if (File.Exists(target))
        {
            return false;
        }

        var directory = Path.GetDirectoryName(target)!;
        var created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        // File.Move checks and renames in two steps, so two concurrent puts could both "win"; link(2) is one step.
        if (!DiskSync.TryLinkWithoutReplacing(temporary, target))
        {
            return false;
        }

        DiskSync.FlushDirectory(directory);
        if (created)
        {
            DiskSync.FlushDirectory(Path.GetDirectoryName(directory)!);
            DiskSync.FlushDirectory(RootPath);
        }

        return true;
    }

    private static bool IsTemporaryName(string name) => TemporaryName().IsMatch(name);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the cleanup job.
        }
    }

    [GeneratedRegex(@"^[0-9a-f]{32}\.part\z")]
    private static partial Regex TemporaryName();
}
