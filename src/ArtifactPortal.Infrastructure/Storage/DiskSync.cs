using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>Linux calls that .NET does not expose: fsync of a folder, link without replacing, early writeback.</summary>
internal static partial class DiskSync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux x64 and arm64.
    private const uint SyncFileRangeWrite = 2;
    private const int AlreadyExists = 17; // EEXIST.

    /// <summary>fsync of a folder, so that a link or rename in it survives a power loss (POSIX needs it).</summary>
    public static void FlushDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"Could not open the folder {path} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush the folder {path} to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Gives <paramref name="source"/> the second name <paramref name="target"/> unless that name exists: one atomic call,
    /// so of two concurrent puts of the same content exactly one wins. False when the target already existed.
    /// </summary>
    public static bool TryLinkWithoutReplacing(string source, string target)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere File.Move is the best available; it may replace an identical concurrent copy.
            try
            {
                File.Move(source, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        if (Link(source, target) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == AlreadyExists
            ? false
            : throw new IOException($"Could not link {source} to {target} (errno {errno}).");
    }

    /// <summary>
    /// Asks the kernel to start writing a range that is already written to the page cache, without waiting: the disk works
    /// while the rest is hashed, and the final fsync only waits for the tail. Only a hint; fsync remains the guarantee.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux() || !(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64))
        {
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);
}
