namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// Estimates how many rows repeat an earlier row from their 64-bit content hashes. Rows are counted exactly (hash → count)
/// while the table fits; beyond that only the rows whose hash has its lowest <c>level</c> bits zero are kept (distinct
/// sampling, Gibbons 2001), so the kept ones are a 2^-level sample of the distinct rows with all their repeats. The estimate
/// is the sample's repeats × 2^level: exact when the file has no duplicates at all, unlike (rows − HyperLogLog estimate).
/// </summary>
public sealed class DuplicateRowEstimator
{
    public const int Capacity = 1 << 18;
    private Dictionary<ulong, int> _counts = new(1024);
    private int _level;
    private long _sampledRows;

    public long Rows { get; private set; }

    public bool IsEstimate => _level > 0;

    public long Duplicates => (_sampledRows - _counts.Count) << _level;

    public void Add(ulong hash)
    {
        Rows++;
        if ((hash & ((1UL << _level) - 1)) != 0)
        {
            return;
        }

        _sampledRows++;
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, hash, out _);
        count++;
        while (_counts.Count > Capacity)
        {
            Raise();
        }
    }

    public void Merge(DuplicateRowEstimator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Rows += other.Rows;
        while (_level < other._level)
        {
            Raise();
        }

        var mask = (1UL << _level) - 1;
        foreach (var (hash, count) in other._counts)
        {
            if ((hash & mask) == 0)
            {
                _counts[hash] = _counts.GetValueOrDefault(hash) + count;
                _sampledRows += count;
            }
        }

        while (_counts.Count > Capacity)
        {
            Raise();
        }
    }

    private void Raise()
    {
        _level++;
        var mask = (1UL << _level) - 1;
        var kept = new Dictionary<ulong, int>(_counts.Count / 2 + 1);
        _sampledRows = 0;
        foreach (var (hash, count) in _counts)
        {
            if ((hash & mask) == 0)
            {
                kept[hash] = count;
                _sampledRows += count;
            }
        }

        _counts = kept;
    }
}
