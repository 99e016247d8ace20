namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// Counts distinct values by their 64-bit hashes: exactly up to <see cref="ExactLimit"/> values (a hash collision among that
/// few is about 1 in 10^11), then with a <see cref="HyperLogLog"/> that has seen every hash from the start.
/// </summary>
public sealed class DistinctCounter
{
    public const int ExactLimit = 10_000;
    private readonly HyperLogLog _sketch = new();
    private HashSet<ulong>? _exact = [];

    public bool IsEstimate => _exact is null;

    public long Count => _exact?.Count ?? _sketch.Estimate();

    public void Add(ulong hash)
    {
        _sketch.Add(hash);
        if (_exact is not null && _exact.Add(hash) && _exact.Count > ExactLimit)
        {
            _exact = null;
        }
    }

    public void Merge(DistinctCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _sketch.Merge(other._sketch);
        if (_exact is not null && other._exact is not null)
        {
            _exact.UnionWith(other._exact);
            if (_exact.Count > ExactLimit)
            {
                _exact = null;
            }
        }
        else
        {
            _exact = null;
        }
    }
}
