using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ArtifactPortal.Core.Artifacts;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BlobInfo = ArtifactPortal.Core.Artifacts.BlobInfo;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>
/// Blobs named <c>sha256/&lt;hash&gt;</c> in one container. A put stages fixed-size blocks on <c>tmp/&lt;id&gt;</c> while hashing
/// (one block in memory), commits them, then copies server-side to the final name, which appears whole or not at all.
/// </summary>
public sealed partial class AzureBlobStore : IBlobStore, IBlobStoreProbe
{
    public const string BlobPrefix = "sha256/";
    public const string TemporaryPrefix = "tmp/";
    private const int DefaultBlockSize = 8 * 1024 * 1024;

    private readonly BlobContainerClient _container;
    private readonly TimeProvider _time;
    private readonly int _blockSize;
    private Task? _containerCreated;

    public AzureBlobStore(BlobContainerClient container, TimeProvider time, int blockSize = DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        _container = container;
        _time = time;
        _blockSize = blockSize;
    }

    public async Task<StoredBlob> PutAsync(Stream content, string? expectedSha256, long? maxBytes, CancellationToken cancellationToken)
    {
        BlobUpload.CheckArguments(content, ref expectedSha256, maxBytes);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var temporary = _container.GetBlockBlobClient(TemporaryPrefix + Guid.NewGuid().ToString("N"));
        // An empty committed blob first, so that a put killed while staging leaves something the cleanup job can list.
        await temporary.UploadAsync(Stream.Null, cancellationToken: cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(_blockSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var blockIds = new List<string>();
            long length = 0;
            while (true)
            {
                var read = await BlobUpload.FillAsync(content, buffer.AsMemory(0, _blockSize), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                BlobUpload.CheckLength(length, maxBytes);
                hash.AppendData(buffer, 0, read);
                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D8", null)));
                using var block = new MemoryStream(buffer, 0, read, writable: false);
                await temporary.StageBlockAsync(blockId, block, cancellationToken: cancellationToken).ConfigureAwait(false);
                blockIds.Add(blockId);
            }

            var sha256 = BlobUpload.Finish(hash, expectedSha256, length);
            await temporary.CommitBlockListAsync(blockIds, cancellationToken: cancellationToken).ConfigureAwait(false);
            var stored = await CopyIntoPlaceAsync(temporary, sha256, cancellationToken).ConfigureAwait(false);
            return new StoredBlob(sha256, length, AlreadyExisted: !stored);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            // Deleting the blob also discards its uncommitted blocks.
            await temporary.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var blob = BlobClient(sha256);
        if (!await IsCompleteAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            // Seekable; it fails rather than mix two versions if the blob changed while being read.
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => IsCompleteAsync(BlobClient(sha256), cancellationToken);

    public async Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        var blob = BlobClient(sha256);
        try
        {
            return await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var blobs = _container.GetBlobsAsync(BlobTraits.CopyStatus, BlobStates.None, BlobPrefix, cancellationToken);
        await foreach (var item in blobs.ConfigureAwait(false))
        {
            var sha256 = item.Name[BlobPrefix.Length..];
            if (BlobHash.IsValid(sha256) && item.Properties.CopyStatus is null or CopyStatus.Success)
            {
                yield return new BlobInfo(sha256, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? default);
            }
        }
    }

    public async IAsyncEnumerable<TemporaryBlobInfo> ListAbandonedTemporaryAsync(TimeSpan olderThan,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = _time.GetUtcNow() - olderThan;
        var blobs = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, TemporaryPrefix, cancellationToken);
        await foreach (var item in blobs.ConfigureAwait(false))
        {
            var name = item.Name[TemporaryPrefix.Length..];
            var lastModified = item.Properties.LastModified ?? default;
            if (IsTemporaryName(name) && lastModified <= cutoff)
            {
                yield return new TemporaryBlobInfo(name, item.Properties.ContentLength ?? 0, lastModified);
            }
        }
    }

    public async Task<bool> DeleteTemporaryAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsTemporaryName(name))
        {
            throw new ArgumentException($"'{name}' is not the name of a temporary blob.", nameof(name));
        }

        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        return await _container.GetBlobClient(TemporaryPrefix + name).DeleteIfExistsAsync(cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<string> ProbeAsync(CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await _container.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"Azure blob container '{_container.Name}' is reachable.";
    }

    /// <summary>Copies the committed temporary to its hash; false when the blob was already there (the copy is dropped).</summary>
    private async Task<bool> CopyIntoPlaceAsync(BlockBlobClient temporary, string sha256, CancellationToken cancellationToken)
    {
        var target = BlobClient(sha256);
        if (await target.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            // If-None-Match: * makes the copy fail rather than replace a blob a concurrent put has just stored.
            var options = new BlobCopyFromUriOptions { DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            var copy = await target.StartCopyFromUriAsync(temporary.Uri, options, cancellationToken).ConfigureAwait(false);
            await copy.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static async Task<bool> IsCompleteAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            // A server-side copy still in progress is not a stored blob yet.
            return string.IsNullOrEmpty(properties.CopyId) || properties.CopyStatus == CopyStatus.Success;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private BlobClient BlobClient(string sha256) => _container.GetBlobClient(BlobPrefix + BlobHash.Validate(sha256));

    /// <summary>Creates the container on first use; a failed attempt is retried by the next call.</summary>
    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        var created = _containerCreated;
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            // Racing callers may both create it: CreateIfNotExists makes that harmless.
            created = _container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            _containerCreated = created;
        }

        return created.WaitAsync(cancellationToken);
    }

    private static bool IsTemporaryName(string name) => TemporaryName().IsMatch(name);

    [GeneratedRegex(@"^[0-9a-f]{32}\z")]
    private static partial Regex TemporaryName();
}
