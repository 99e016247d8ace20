using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ArtifactPortal.Infrastructure.Storage;

/// <summary>Linux calls that .NET does not expose: fsync of a folder, link without replacing, early writeback.</summary>
internal static partial class DiskSync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux x64 and arm64.
    private const uint SyncFileRangeWaitBefore = 1;
    private const uint SyncFileRangeWrite = 2;
    private const uint SyncFileRangeWaitAfter = 4;
    private const int FadviseDontNeed = 4; // POSIX_FADV_DONTNEED on Linux.
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
    /// while the rest is received and hashed. Only a hint; fsync remains the guarantee.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count) =>
        WithDescriptor(file, fd => _ = SyncFileRange(fd, offset, count, SyncFileRangeWrite));

    /// <summary>
    /// Waits until a range whose writeback was started has reached the disk, then drops it from the page cache. A long
    /// upload then reuses the same few MiB of cache pages instead of filling fresh ones (a fresh page costs several times
    /// more to write into, on this VM up to 3 s per GB; see ADR 017). The final fsync still makes the file durable.
    /// </summary>
    public static void FinishWritebackAndDrop(SafeFileHandle file, long offset, long count) =>
        WithDescriptor(file, fd =>
        {
            if (SyncFileRange(fd, offset, count, SyncFileRangeWaitBefore | SyncFileRangeWrite | SyncFileRangeWaitAfter) == 0)
            {
                // Only clean pages are dropped; a page the kernel could not write stays, and fsync writes it.
                _ = Fadvise(fd, offset, count, FadviseDontNeed);
            }
        });

    private static void WithDescriptor(SafeFileHandle file, Action<int> call)
    {
        if (!OperatingSystem.IsLinux() || !(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64))
        {
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            call((int)file.DangerousGetHandle());
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

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, long offset, long count, int advice);
}
