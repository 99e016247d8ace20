using System.Security.Cryptography;

namespace ArtifactPortal.IntegrationTests.Storage;

/// <summary>Reproducible pseudo-random content generated while it is read, so large puts need no large arrays.</summary>
public sealed class RandomStream(long length, int seed) : Stream
{
    // A seeded Random yields the same bytes however the reads are split.
#pragma warning disable CA5394 // Test data, not security.
    private readonly Random _random = new(seed);
#pragma warning restore CA5394
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new RandomStream(length, seed).ReadExactly(bytes);
        return bytes;
    }

    public static string Sha256(long length, int seed) => Convert.ToHexStringLower(SHA256.HashData(new RandomStream(length, seed)));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
#pragma warning disable CA5394
        _random.NextBytes(buffer[..count]);
#pragma warning restore CA5394
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
