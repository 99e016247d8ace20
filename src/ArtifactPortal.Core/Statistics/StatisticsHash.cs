using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ArtifactPortal.Core.Statistics;

/// <summary>64-bit hashes for the sketches: XxHash3 for text, a SplitMix64 finalizer for numbers.</summary>
public static class StatisticsHash
{
    public static ulong Text(ReadOnlySpan<char> text) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));

    public static ulong Bytes(ReadOnlySpan<byte> bytes) => XxHash3.HashToUInt64(bytes);

    /// <summary>Equal numbers hash equally however they were written (1, 1.0, 1e0; 0 and −0).</summary>
    public static ulong Number(double value) => Mix((ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0 : value));

    /// <summary>Combines a row's running hash with the next cell's.</summary>
    public static ulong Combine(ulong row, ulong cell) => Mix(row ^ (cell + 0x9E3779B97F4A7C15UL + (row << 6) + (row >> 2)));

    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }
}
