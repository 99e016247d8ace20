using ArtifactPortal.Infrastructure.Previews;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// Counts the bytes read from the file as stored (compressed bytes for .gz), reports them as a fraction of its length at most
/// every 0.5%, and stops the read loop when the job is cancelled.
/// </summary>
internal sealed class CountingStream(Stream inner, long length, IProgress<double>? progress, CancellationToken cancellationToken)
    : ForwardReadStream
{
    private long _reported = -1;

    public long BytesRead { get; private set; }

    public override bool CanSeek => inner.CanSeek;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public void ReportDone() => progress?.Report(1);

    private int Count(int read)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BytesRead += read;
        if (progress is not null && length > 0)
        {
            var step = Math.Min(BytesRead * 200 / length, 200);
            if (step != _reported)
            {
                _reported = step;
                progress.Report(step / 200.0);
            }
        }

        return read;
    }
}
