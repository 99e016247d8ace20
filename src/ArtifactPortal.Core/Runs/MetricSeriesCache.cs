using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ArtifactPortal.Core.Runs;

/// <summary>
/// Series in memory, in step order, for charts. Points never change once stored, so an entry is brought up to date by
/// reading only the points after it; the least recently used series leave when the total passes the configured size.
/// </summary>
public sealed class MetricSeriesCache(IMetricStore store, IOptions<MetricOptions> options)
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private long _points;

    public long CachedPoints => Interlocked.Read(ref _points);

    /// <summary>The series with at least its first <paramref name="count"/> points (the count its summary row holds).</summary>
    public async Task<MetricColumns> GetAsync(long seriesId, long count, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(seriesId, _ => new Entry());
        entry.LastUsed = Stopwatch.GetTimestamp();
        while (true)
        {
            var columns = entry.Columns;
            if (columns.Length >= count)
            {
                return columns;
            }

            Task loading;
            lock (entry)
            {
                // One reader per series loads; the others wait for it. It must not die with one caller's cancellation.
                loading = entry.Loading is { IsCompleted: false } pending ? pending : entry.Loading = LoadAsync(seriesId, entry, count);
            }

            await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LoadAsync(long seriesId, Entry entry, long count)
    {
        var before = entry.Columns;
        var later = await store.ReadPointsAsync(seriesId, before.Length, count, CancellationToken.None).ConfigureAwait(false);
        entry.Columns = before.Append(later);
        if (_entries.TryGetValue(seriesId, out var current) && current == entry)
        {
            Interlocked.Add(ref _points, entry.Columns.Length - before.Length);
        }

        Evict(seriesId);
    }

    private void Evict(long keep)
    {
        while (Interlocked.Read(ref _points) > options.Value.CachedPoints)
        {
            var oldest = _entries.Where(e => e.Key != keep).OrderBy(e => e.Value.LastUsed).Select(e => (long?)e.Key).FirstOrDefault();
            if (oldest is not { } id || !_entries.TryRemove(id, out var removed))
            {
                return;
            }

            Interlocked.Add(ref _points, -removed.Columns.Length);
        }
    }

    private sealed class Entry
    {
        public volatile MetricColumns Columns = MetricColumns.Empty;

        public long LastUsed;

        public Task? Loading;
    }
}
