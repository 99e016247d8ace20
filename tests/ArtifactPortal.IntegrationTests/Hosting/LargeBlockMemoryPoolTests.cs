using ArtifactPortal.IntegrationTests.Scaling;
using ArtifactPortal.Web.Hosting;

namespace ArtifactPortal.IntegrationTests.Hosting;

/// <summary>
/// Kestrel's 64 KiB buffer blocks: the pool itself, and the portal started as an operator starts it handing the pool to Kestrel
/// (WebApplicationFactory registers Kestrel after the app's services, so only the real process shows this).
/// </summary>
public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_AnySizeUpToTheBlock_Gives64KiBAndReusesAReturnedBlock()
    {
        using var pool = new LargeBlockMemoryPool();

        var first = pool.Rent(4096);
        var firstMemory = first.Memory;
        first.Dispose();
        using var second = pool.Rent();

        Assert.Equal(64 * 1024, pool.MaxBufferSize);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, firstMemory.Length);
        Assert.True(second.Memory.Span.Overlaps(firstMemory.Span), "A returned block is handed out again.");
        Assert.Equal(0, pool.RetainedBlocks);
    }

    [Fact]
    public void Dispose_Twice_ReturnsTheBlockOnceAndTheOwnerCannotBeUsedAfterwards()
    {
        using var pool = new LargeBlockMemoryPool();
        var owner = pool.Rent();

        owner.Dispose();
        owner.Dispose();
        using var a = pool.Rent();
        using var b = pool.Rent();

        Assert.Throws<ObjectDisposedException>(() => owner.Memory);
        Assert.False(a.Memory.Span.Overlaps(b.Memory.Span), "Two live owners never share a block.");
    }

    [Fact]
    public void Return_MoreBlocksThanTheCap_KeepsOnlyTheCapForReuse()
    {
        using var pool = new LargeBlockMemoryPool();
        var owners = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetainedBlocks + 50).Select(_ => pool.Rent()).ToList();

        owners.ForEach(o => o.Dispose());

        Assert.Equal(LargeBlockMemoryPool.MaxRetainedBlocks, pool.RetainedBlocks);
    }

    [Fact]
    public void Rent_MoreThanABlock_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public async Task Serve_AsAnOperatorStartsIt_KestrelUsesTheLargeBlocks()
    {
        var data = Directory.CreateTempSubdirectory("artifactportal-blocks-").FullName;
        try
        {
            using var node = PortalNode.Start("blocks", "all", data, new Dictionary<string, string>());

            await node.WaitUntilHealthyAsync();

            Assert.Contains("Kestrel reads into 64 KiB buffer blocks", node.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
