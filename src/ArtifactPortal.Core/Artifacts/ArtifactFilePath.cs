using System.Text;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>
/// Relative file paths inside a version. They end up in zip entries, download names and on people's disks, so anything
/// that could escape a folder or confuse a file system is refused rather than "fixed".
/// </summary>
public static class ArtifactFilePath
{
    public const int MaxLength = 1024;
    public const int MaxSegmentBytes = 255;

    public static string? Error(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "A file needs a path.";
        }

        if (path.Length > MaxLength)
        {
            return $"Paths are at most {MaxLength} characters.";
        }

        if (path.Any(c => char.IsControl(c)))
        {
            return "Paths cannot contain control characters.";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "Use '/' between folders, not '\\'.";
        }

        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':'))
        {
            return "Paths must be relative.";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "Paths cannot contain empty, '.' or '..' parts.";
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return $"Each file or folder name is at most {MaxSegmentBytes} bytes.";
            }
        }

        return null;
    }

    /// <summary>Errors for a whole version's paths, including duplicates that differ only in case (they clash on macOS and Windows).</summary>
    public static IReadOnlyList<string> Errors(IEnumerable<string?> paths)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            if (Error(path) is { } error)
            {
                errors.Add($"{Describe(path)}: {error}");
            }
            else if (!seen.Add(path!))
            {
                errors.Add($"{Describe(path)}: another file has the same path (ignoring case).");
            }
        }

        return errors;
    }

    /// <summary>A path safe to show in a message: control characters made visible, long paths shortened.</summary>
    public static string Describe(string? path)
    {
        if (path is null)
        {
            return "(no path)";
        }

        var visible = new string([.. path.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
        return path.Length > 80 ? $"'{visible}…'" : $"'{visible}'";
    }
}
