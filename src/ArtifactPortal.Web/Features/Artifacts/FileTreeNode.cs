using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>A folder (with children) or a file of a version, built once from the flat file list.</summary>
internal sealed class FileTreeNode
{
    private FileTreeNode(string name, string path, ArtifactFileEntry? file)
    {
        Name = name;
        Path = path;
        File = file;
    }

    public string Name { get; }

    /// <summary>The file's path, or the folder's path without a trailing slash.</summary>
    public string Path { get; }

    public ArtifactFileEntry? File { get; }

    public bool IsFolder => File is null;

    public List<FileTreeNode> Children { get; } = [];

    public long Size { get; private set; }

    public int FileCount { get; private set; }

    public static FileTreeNode Build(IEnumerable<ArtifactFileEntry> files)
    {
        var root = new FileTreeNode("", "", null);
        var folders = new Dictionary<string, FileTreeNode>(StringComparer.Ordinal) { [""] = root };
        foreach (var file in files)
        {
            var parent = root;
            var segments = file.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var folderPath = string.Join('/', segments, 0, i + 1);
                if (!folders.TryGetValue(folderPath, out var folder))
                {
                    folder = new FileTreeNode(segments[i], folderPath, null);
                    folders[folderPath] = folder;
                    parent.Children.Add(folder);
                }

                parent = folder;
            }

            parent.Children.Add(new FileTreeNode(segments.Length == 0 ? file.Path : segments[^1], file.Path, file)
            {
                Size = file.Size,
                FileCount = 1,
            });
        }

        root.Summarize();
        return root;
    }

    /// <summary>The folders that contain <paramref name="path"/>, outermost first.</summary>
    public static IEnumerable<string> AncestorsOf(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }

    // Folders first, then names in natural order, as file managers list them.
    private void Summarize()
    {
        foreach (var child in Children.Where(c => c.IsFolder))
        {
            child.Summarize();
        }

        Children.Sort((a, b) => a.IsFolder != b.IsFolder
            ? (a.IsFolder ? -1 : 1)
            : string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        if (IsFolder)
        {
            Size = Children.Sum(c => c.Size);
            FileCount = Children.Sum(c => c.FileCount);
        }
    }
}
