using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace ArtifactPortal.Web.Hosting;

/// <summary>
/// Kestrel's buffers in 64 KiB blocks instead of its default 4 KiB: a socket receive fills one block, so a 2 GB upload takes
/// ~32,000 receives instead of ~520,000, which halves the CPU Kestrel spends per byte of request body (ADR 016).
/// Idle connections hold no block (Kestrel waits for data before renting), and the pool keeps at most
/// <see cref="MaxRetainedBlocks"/> free blocks, so memory does not grow with upload size or with past peaks.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    public const int MaxRetainedBlocks = 256;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Free blocks kept for reuse.</summary>
    public int RetainedBlocks => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
        }
        else
        {
            // Pinned (pinned object heap): sockets read into it without pinning it on every call.
            block = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        }

        return new Block(this, block);
    }

    protected override void Dispose(bool disposing)
    {
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private void Return(byte[] block)
    {
        // Beyond the cap a block goes to the GC, so a burst of connections does not stay resident.
        if (Interlocked.Increment(ref _freeCount) <= MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                pool.Return(returned);
            }
        }
    }
}

/// <summary>Gives Kestrel (which asks the container for an <see cref="IMemoryPoolFactory{T}"/>) the large-block pool.</summary>
/// <remarks>
/// Kestrel takes the last registered factory, so this must be registered after Kestrel's own; the log line at start-up
/// ("Kestrel reads into 64 KiB buffer blocks") shows that it was.
/// </remarks>
public sealed partial class LargeBlockMemoryPoolFactory(ILogger<LargeBlockMemoryPoolFactory> logger) : IMemoryPoolFactory<byte>
{
    private int _poolsCreated;

    /// <summary>Pools handed out so far (Kestrel takes one per listener).</summary>
    public int PoolsCreated => Volatile.Read(ref _poolsCreated);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        if (Interlocked.Increment(ref _poolsCreated) == 1)
        {
            LogInUse(logger, options?.Owner ?? "unnamed", LargeBlockMemoryPool.BlockSize / 1024);
        }

        return new LargeBlockMemoryPool();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kestrel reads into {BlockKiB} KiB buffer blocks (pool owner: {Owner}).")]
    private static partial void LogInUse(ILogger logger, string owner, int blockKiB);
}
