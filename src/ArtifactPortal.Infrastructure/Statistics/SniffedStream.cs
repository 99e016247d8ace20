using ArtifactPortal.Infrastructure.Previews;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// A forward-only stream whose first bytes (<see cref="Head"/>) were read ahead to recognise the format; it serves them
/// again, then the rest. It also checks that no line runs longer than <see cref="StatisticsLimits.MaxLineBytes"/>, and knows
/// where the last read started so a decoding error can name its byte offset.
/// </summary>
internal sealed class SniffedStream : ForwardReadStream
{
    private readonly Stream _inner;
    private readonly byte[] _head;
    private readonly int _headLength;
    private readonly int _maxLineBytes;
    private int _headPosition;
    private long _lineLength;

    private SniffedStream(Stream inner, byte[] head, int headLength, int maxLineBytes)
    {
        _inner = inner;
        _head = head;
        _headLength = headLength;
        _maxLineBytes = maxLineBytes;
    }

    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    public long Position64 { get; private set; }

    public long LastReadStart { get; private set; }

    public static SniffedStream Open(Stream inner, int maxLineBytes = StatisticsLimits.MaxLineBytes)
    {
        var head = new byte[StatisticsLimits.SniffBytes];
        var length = inner.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return new SniffedStream(inner, head, length, maxLineBytes);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_headPosition < _headLength)
        {
            read = Math.Min(buffer.Length, _headLength - _headPosition);
            _head.AsSpan(_headPosition, read).CopyTo(buffer);
            _headPosition += read;
        }
        else
        {
            read = _inner.Read(buffer);
        }

        return Checked(buffer[..read]);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _headPosition < _headLength || buffer.Length == 0
            ? ValueTask.FromResult(Read(buffer.Span))
            : ReadInnerAsync(buffer, cancellationToken);

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Checked(buffer.Span[..read]);
    }

    private int Checked(ReadOnlySpan<byte> read)
    {
        LastReadStart = Position64;
        Position64 += read.Length;
        var first = read.IndexOf((byte)'\n');
        if (first < 0)
        {
            _lineLength += read.Length;
        }
        else
        {
            // The first line continues the previous read's last one; lines wholly inside a read are shorter than the read.
            if (_lineLength + first > _maxLineBytes || (read.Length > _maxLineBytes && LongestLine(read[(first + 1)..]) > _maxLineBytes))
            {
                throw TooLong();
            }

            _lineLength = read.Length - read.LastIndexOf((byte)'\n') - 1;
        }

        if (_lineLength > _maxLineBytes)
        {
            throw TooLong();
        }

        return read.Length;
    }

    private static int LongestLine(ReadOnlySpan<byte> read)
    {
        var longest = 0;
        while (read.IndexOf((byte)'\n') is var i and >= 0)
        {
            longest = Math.Max(longest, i);
            read = read[(i + 1)..];
        }

        return Math.Max(longest, read.Length);
    }

    private InvalidDataException TooLong() => new(
        $"a line longer than {_maxLineBytes / (1024 * 1024)} MB ends after byte {Position64}; a table row should be far shorter.");
}
