using System.Numerics;

namespace ArtifactPortal.Core.Statistics;

/// <summary>
/// HyperLogLog cardinality sketch over 64-bit hashes (Heule et al. 2013, without the sparse mode): 2^14 one-byte registers,
/// standard error 1.04/√16384 ≈ 0.8%, so 2% is about 2.5 standard errors. Linear counting takes over for small counts.
/// </summary>
public sealed class HyperLogLog
{
    public const int Precision = 14;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] _registers = new byte[RegisterCount];

    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        // The rank of the first 1 bit in the remaining 50 bits; the sentinel bit bounds it when they are all zero.
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < RegisterCount; i++)
        {
            _registers[i] = Math.Max(_registers[i], other._registers[i]);
        }
    }

    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers)
        {
            sum += Math.ScaleB(1, -register);
            zeros += register == 0 ? 1 : 0;
        }

        const double m = RegisterCount;
        var alpha = 0.7213 / (1 + (1.079 / m));
        var estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
        {
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }
}
