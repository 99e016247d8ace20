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
    public async Task ListAsync_StrayFiles_AreNotBlobs()
    {
        Directory.CreateDirectory(Path.Combine(_root, "ab", "cd"));
        await File.WriteAllTextAsync(Path.Combine(_root, "ab", "cd", "notes.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(_root, "ab", "cd", BlobHash.Empty), "misplaced");

        Assert.Empty(await _store.ListAsync(CancellationToken.None).ToListAsync());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
