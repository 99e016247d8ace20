using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Infrastructure.Storage;

namespace ArtifactPortal.IntegrationTests.Storage;

public sealed class FileSystemBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("artifactportal-blobs-").FullName;
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests() => _store = new FileSystemBlobStore(_root, ClockAMinuteAhead);

    protected override IBlobStore Store => _store;

    [Fact]
    public async Task PutAsync_NewContent_LandsAtItsShardedPathAndNothingElseRemains()
    {
        var stored = await _store.PutAsync(new MemoryStream([1, 2, 3]), null, null, CancellationToken.None);

        var expected = Path.Combine(_root, stored.Sha256[..2], stored.Sha256[2..4], stored.Sha256);
        Assert.Equal([expected], Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(expected));
    }

    [Fact]
    public async Task PutAsync_LongerThanTheCacheWindow_StoresEveryByteAndDropsTheTemporary()
    {
        // Ranges behind the last 8-16 MiB are written back and dropped from the page cache while the put goes on (ADR 017);
        // an uneven length leaves a tail after the last dropped range.
        const int length = (37 * 1024 * 1024) + 12345;

        var stored = await _store.PutAsync(new RandomStream(length, seed: 21), null, null, CancellationToken.None);

        Assert.Equal(new StoredBlob(RandomStream.Sha256(length, seed: 21), length, AlreadyExisted: false), stored);
        Assert.Equal(RandomStream.Bytes(length, seed: 21), await File.ReadAllBytesAsync(_store.BlobPath(stored.Sha256)));
        Assert.Empty(Directory.GetFiles(_store.TemporaryPath));
    }

    [Fact]
    public async Task ListAsync_StrayFiles_AreNotBlobs()
    {
        Directory.CreateDirectory(Path.Combine(_root, "ab", "cd"));
        await File.WriteAllTextAsync(Path.Combine(_root, "ab", "cd", "notes.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(_root, "ab", "cd", BlobHash.Empty), "misplaced");

        Assert.Empty(await _store.ListAsync(CancellationToken.None).ToListAsync());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
