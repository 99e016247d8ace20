using System.Runtime.InteropServices;

namespace ArtifactPortal.Infrastructure.Statistics;

/// <summary>
/// glibc keeps freed blocks below its mmap threshold for reuse, and raises that threshold (up to 32 MB) each time a large
/// block is freed: the pages of tens of MB that Arrow decompresses, one column after the other, would stay resident.
/// A fixed 1 MB threshold maps each large block on its own and gives it back to the system when it is freed.
/// </summary>
internal static partial class NativeHeap
{
    private const int MmapThresholdParameter = -3;
    private const int MmapThresholdBytes = 1 << 20;
    private static int _configured;

    public static void ReturnLargeBlocksToSystem()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        try
        {
            _ = MallOpt(MmapThresholdParameter, MmapThresholdBytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl answers the call and ignores it): memory is still bounded, only returned later.
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
