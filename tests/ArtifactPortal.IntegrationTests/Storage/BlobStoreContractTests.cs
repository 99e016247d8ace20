using System.Security.Cryptography;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.IntegrationTests.Storage;

/// <summary>What every <see cref="IBlobStore"/> promises; run once per provider by the subclasses.</summary>
public abstract class BlobStoreContractTests
{
    private const int MiB = 1024 * 1024;

    /// <summary>The store's clock runs a minute ahead, so that a temporary of a put in progress already counts as abandoned.</summary>
    protected static readonly TimeProvider ClockAMinuteAhead = new ShiftedTimeProvider(TimeSpan.FromMinutes(1));

    protected abstract IBlobStore Store { get; }

    [Fact]
    public async Task PutAsync_TwentyMegabyteStream_RoundTripsWithItsHash()
    {
        var content = new RandomStream(20 * MiB, seed: 1);
        var expected = RandomStream.Sha256(20 * MiB, seed: 1);

        var stored = await Store.PutAsync(content, expected, maxBytes: null, CancellationToken.None);

        Assert.Equal(new StoredBlob(expected, 20 * MiB, AlreadyExisted: false), stored);
        Assert.True(await Store.ExistsAsync(expected, CancellationToken.None));
        await using var read = await Store.OpenReadAsync(expected, CancellationToken.None);
        Assert.NotNull(read);
        Assert.True(read.CanSeek, "Downloads need a seekable stream to answer Range requests.");
        Assert.Equal(expected, Convert.ToHexStringLower(await SHA256.HashDataAsync(read)));
        read.Seek(5 * MiB, SeekOrigin.Begin);
        var middle = new byte[16];
        await read.ReadExactlyAsync(middle);
        Assert.Equal(RandomStream.Bytes(20 * MiB, seed: 1).AsSpan(5 * MiB, 16).ToArray(), middle);
        Assert.Empty(await TemporariesAsync());
    }

    [Fact]
    public async Task PutAsync_SameContentTwice_StoresItOnce()
    {
        var first = await Store.PutAsync(new RandomStream(3 * MiB, seed: 2), null, null, CancellationToken.None);
        var second = await Store.PutAsync(new RandomStream(3 * MiB, seed: 2), null, null, CancellationToken.None);

        Assert.False(first.AlreadyExisted);
        Assert.True(second.AlreadyExisted);
        Assert.Equal(first.Sha256, second.Sha256);
        var blob = Assert.Single(await BlobsAsync());
        Assert.Equal((first.Sha256, 3L * MiB), (blob.Sha256, blob.Length));
        Assert.Empty(await TemporariesAsync());
    }

    [Fact]
    public async Task PutAsync_ExpectedHashDiffers_ThrowsAndKeepsNothing()
    {
        var other = RandomStream.Sha256(MiB, seed: 4);
        var actual = RandomStream.Sha256(MiB, seed: 3);

        var e = await Assert.ThrowsAsync<BlobHashMismatchException>(
            () => Store.PutAsync(new RandomStream(MiB, seed: 3), other.ToUpperInvariant(), null, CancellationToken.None));

        Assert.Equal((other, actual), (e.ExpectedSha256, e.ActualSha256));
        Assert.Contains(actual, e.Message, StringComparison.Ordinal);
        Assert.False(await Store.ExistsAsync(actual, CancellationToken.None));
        Assert.False(await Store.ExistsAsync(other, CancellationToken.None));
        Assert.Empty(await BlobsAsync());
        Assert.Empty(await TemporariesAsync());
    }

    [Fact]
    public async Task PutAsync_ContentOverSizeLimit_ThrowsAndKeepsNothing()
    {
        var e = await Assert.ThrowsAsync<BlobTooLargeException>(
            () => Store.PutAsync(new RandomStream(3 * MiB, seed: 5), null, maxBytes: 2 * MiB, CancellationToken.None));

        Assert.Equal(2 * MiB, e.MaxBytes);
        Assert.Empty(await BlobsAsync());
        Assert.Empty(await TemporariesAsync());
        var atLimit = await Store.PutAsync(new RandomStream(2 * MiB, seed: 5), null, maxBytes: 2 * MiB, CancellationToken.None);
        Assert.Equal(2 * MiB, atLimit.Length);
    }

    [Fact]
    public async Task PutAsync_ZeroBytes_StoresTheEmptyBlob()
    {
        var stored = await Store.PutAsync(Stream.Null, BlobHash.Empty, maxBytes: 0, CancellationToken.None);

        Assert.Equal(new StoredBlob(BlobHash.Empty, 0, AlreadyExisted: false), stored);
        await using var read = await Store.OpenReadAsync(BlobHash.Empty, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(-1, read.ReadByte());
        Assert.Equal(0, Assert.Single(await BlobsAsync()).Length);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/../x")]
    [InlineData("../../e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852")]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public async Task Operations_InvalidHash_AreRejected(string hash)
    {
        await Assert.ThrowsAsync<InvalidBlobHashException>(() => Store.OpenReadAsync(hash, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidBlobHashException>(() => Store.ExistsAsync(hash, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidBlobHashException>(() => Store.DeleteAsync(hash, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidBlobHashException>(() => Store.PutAsync(new MemoryStream([1]), hash, null, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteTemporaryAsync(hash, CancellationToken.None));
        Assert.Empty(await BlobsAsync());
        Assert.Empty(await TemporariesAsync());
    }

    [Fact]
    public async Task Operations_UppercaseHash_AreRejectedExceptAsExpectedHash()
    {
        await Assert.ThrowsAsync<InvalidBlobHashException>(() => Store.ExistsAsync(BlobHash.Empty.ToUpperInvariant(), CancellationToken.None));
        var stored = await Store.PutAsync(Stream.Null, BlobHash.Empty.ToUpperInvariant(), null, CancellationToken.None);
        Assert.Equal(BlobHash.Empty, stored.Sha256);
    }

    [Fact]
    public async Task PutAsync_CancelledHalfway_LeavesOnlyAnAbandonedTemporary()
    {
        using var cancellation = new CancellationTokenSource();
        var content = new StallingStream(new RandomStream(10 * MiB, seed: 6), stallAt: 5 * MiB);

        var put = Store.PutAsync(content, null, null, cancellation.Token);
        await content.Stalled.WaitAsync(TimeSpan.FromSeconds(20));

        // What a killed process would leave: no blob, one temporary that the cleanup job finds.
        Assert.Empty(await BlobsAsync());
        var temporary = Assert.Single(await TemporariesAsync());
        Assert.Empty(await TemporariesAsync(olderThan: TimeSpan.FromHours(1)));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.Empty(await BlobsAsync());
        Assert.Empty(await TemporariesAsync());
        Assert.False(await Store.DeleteTemporaryAsync(temporary.Name, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ConcurrentPutsOfSameContent_AllSucceedAndStoreItOnce()
    {
        var expected = RandomStream.Sha256(4 * MiB, seed: 7);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => Store.PutAsync(new RandomStream(4 * MiB, seed: 7), expected, null, CancellationToken.None))));

        Assert.All(results, r => Assert.Equal((expected, 4L * MiB), (r.Sha256, r.Length)));
        Assert.Single(results, r => !r.AlreadyExisted);
        Assert.Equal(expected, Assert.Single(await BlobsAsync()).Sha256);
        Assert.Empty(await TemporariesAsync());
    }

    [Fact]
    public async Task DeleteAsync_StoredBlob_RemovesItOnce()
    {
        var stored = await Store.PutAsync(new RandomStream(MiB, seed: 8), null, null, CancellationToken.None);

        Assert.True(await Store.DeleteAsync(stored.Sha256, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(stored.Sha256, CancellationToken.None));
        Assert.False(await Store.ExistsAsync(stored.Sha256, CancellationToken.None));
        Assert.Null(await Store.OpenReadAsync(stored.Sha256, CancellationToken.None));
        Assert.Empty(await BlobsAsync());
    }

    [Fact]
    public async Task ListAsync_SeveralBlobs_ReportsHashesAndLengths()
    {
        var stored = new List<StoredBlob>();
        foreach (var (size, seed) in new[] { (1, 9), (1000, 10), (MiB + 1, 11) })
        {
            stored.Add(await Store.PutAsync(new RandomStream(size, seed), null, null, CancellationToken.None));
        }

        var listed = await BlobsAsync();

        Assert.Equal(stored.Select(s => (s.Sha256, s.Length)).Order(), listed.Select(b => (b.Sha256, b.Length)).Order());
        Assert.All(listed, b => Assert.InRange(b.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    private async Task<List<BlobInfo>> BlobsAsync() => await Store.ListAsync(CancellationToken.None).ToListAsync();

    private async Task<List<TemporaryBlobInfo>> TemporariesAsync(TimeSpan? olderThan = null) =>
        await Store.ListAbandonedTemporaryAsync(olderThan ?? TimeSpan.FromSeconds(30), CancellationToken.None).ToListAsync();

    private sealed class ShiftedTimeProvider(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
