namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// The most frequent values with the Misra–Gries summary keyed by 64-bit hash: exact while at most <see cref="Capacity"/>
/// different values have been seen; after that each count is at most n / (Capacity + 1) too low, and any value more frequent
/// than that is kept.
/// </summary>
public sealed class HeavyHitters
{
    public const int Capacity = 2048;
    public const int MaxValueLength = 200;
    private readonly Dictionary<ulong, Counter> _counters = new(Capacity);

    /// <summary>False once values had to be evicted: counts are then lower bounds.</summary>
    public bool IsExact { get; private set; } = true;

    public void Add(ulong hash, ReadOnlySpan<char> value)
    {
        if (_counters.TryGetValue(hash, out var counter))
        {
            counter.Count++;
            return;
        }

        if (_counters.Count < Capacity)
        {
            _counters.Add(hash, new Counter(Truncate(value), 1));
            return;
        }

        // Full: the new value and every kept one lose one occurrence; the ones left at zero make room.
        IsExact = false;
        List<ulong>? emptied = null;
        foreach (var (key, kept) in _counters)
        {
            if (--kept.Count == 0)
            {
                (emptied ??= []).Add(key);
            }
        }

        foreach (var key in emptied ?? [])
        {
            _counters.Remove(key);
        }
    }

    public void Merge(HeavyHitters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        IsExact &= other.IsExact;
        foreach (var (key, counter) in other._counters)
        {
            if (_counters.TryGetValue(key, out var mine))
            {
                mine.Count += counter.Count;
            }
            else
            {
                _counters[key] = new Counter(counter.Value, counter.Count);
            }
        }

        if (_counters.Count > Capacity)
        {
            // Merged Misra–Gries (Agarwal et al. 2012): subtract the (Capacity+1)-th largest count from all, drop the non-positive.
            IsExact = false;
            var cut = _counters.Values.Select(c => c.Count).OrderDescending().ElementAt(Capacity);
            foreach (var (key, counter) in _counters.ToList())
            {
                counter.Count -= cut;
                if (counter.Count <= 0)
                {
                    _counters.Remove(key);
                }
            }
        }
    }

    public IReadOnlyList<ValueCount> Top(int count) =>
        [.. _counters.Values.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(count)
            .Select(c => new ValueCount(c.Value, c.Count))];

    private static string Truncate(ReadOnlySpan<char> value) =>
        value.Length > MaxValueLength ? string.Concat(value[..MaxValueLength], "…") : value.ToString();

    private sealed class Counter(string value, long count)
    {
        public string Value { get; } = value;

        public long Count { get; set; } = count;
    }
}
