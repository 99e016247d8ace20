using System.Globalization;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>One line of /proc/PID/stat, as far as the CPU sums need it.</summary>
public readonly record struct LinuxProcess(int Id, int ParentId, string Name);

/// <summary>
/// CPU time of a group of processes, read from /proc: <see cref="System.Diagnostics.Process"/> cannot list a process's
/// children on Linux, and a server's workers (PostgreSQL's backends, Chromium's renderers) are separate processes.
/// </summary>
public static class LinuxProcesses
{
    /// <summary>
    /// User + system CPU time of the live processes that <paramref name="include"/> selects. A process's time leaves the sum when
    /// it exits, so measure between two reads while the group's processes stay up.
    /// </summary>
    public static TimeSpan CpuTime(Func<LinuxProcess, bool> include) =>
        Read("/proc").Where(p => include(p.Process)).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Cpu);

    /// <summary>
    /// User + system CPU time of each live thread of <paramref name="processId"/> whose name (cut to 15 characters by the
    /// kernel, e.g. ".NET Tiered Com") <paramref name="include"/> selects, by thread id.
    /// </summary>
    public static Dictionary<int, TimeSpan> ThreadCpuTimes(int processId, Func<string, bool> include) =>
        Read($"/proc/{processId}/task").Where(t => include(t.Process.Name)).ToDictionary(t => t.Process.Id, t => t.Cpu);

    /// <summary>The processes (or a process's threads, under /proc/PID/task) in <paramref name="root"/> with their CPU time.</summary>
    private static IEnumerable<(LinuxProcess Process, TimeSpan Cpu)> Read(string root)
    {
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            var stat = int.TryParse(Path.GetFileName(directory), out var pid) ? TryRead(Path.Combine(directory, "stat")) : null;
            if (stat is null)
            {
                continue;
            }

            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after its last ')'. utime and stime are
            // the 14th and 15th fields of the whole line, counted in USER_HZ (100 per second on Linux).
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            yield return (new LinuxProcess(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), name), TimeSpan.FromMilliseconds(ticks * 10));
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            // The process ended between listing and reading.
            return null;
        }
    }
}
