using System.Buffers.Binary;
using System.IO.Compression;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>
/// Decompresses gzip and fails at the end when the file was cut short: .NET's <see cref="GZipStream"/> just ends, so this
/// compares the bytes it gave with the length in the gzip trailer (ISIZE, the last four bytes).
/// </summary>
internal sealed class CheckedGzipStream : ForwardReadStream
{
    private readonly TailKeepingStream _compressed;
    private readonly GZipStream _gzip;
    private long _decompressed;

    public CheckedGzipStream(Stream compressed)
    {
        _compressed = new TailKeepingStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: true);
    }

    public override int Read(byte[] buffer, int offset, int count) => Check(_gzip.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Check(int read)
    {
        _decompressed += read;
        // A file of several gzip members has only the last one's length at the end; it is then shorter than what was read.
        if (read == 0 && (_compressed.Tail is not { } tail || BinaryPrimitives.ReadUInt32LittleEndian(tail) is var size
            && size > (uint)_decompressed))
        {
            throw new InvalidDataException("the compressed file ends early; it may have been cut short.");
        }

        return read;
    }

    /// <summary>Remembers the last four bytes read from the compressed file.</summary>
    private sealed class TailKeepingStream(Stream inner) : ForwardReadStream
    {
        private readonly byte[] _last = new byte[4];
        private int _count;

        public byte[]? Tail => _count >= 4 ? _last : null;

        public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Keep(buffer.Span[..read]);
        }

        private int Keep(ReadOnlySpan<byte> read)
        {
            if (read.Length >= 4)
            {
                read[^4..].CopyTo(_last);
            }
            else if (read.Length > 0)
            {
                // Shift the kept bytes left and append the few new ones.
                _last.AsSpan(read.Length).CopyTo(_last);
                read.CopyTo(_last.AsSpan(4 - read.Length));
            }

            _count += read.Length;
            return read.Length;
        }
    }
}
