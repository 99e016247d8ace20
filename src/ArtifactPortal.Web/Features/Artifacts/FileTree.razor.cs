using ArtifactPortal.Core.Artifacts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>
/// A version's files as a tree. Small versions open every folder; above <see cref="ExpandAllUpTo"/> files folders start
/// closed (except those on the way to the selected file), and long lists are virtualized.
/// </summary>
public partial class FileTree
{
    internal const int VirtualizeAbove = 400;
    private const float RowHeight = 36;

    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private List<FileTreeRow> _rows = [];
    private FileTreeNode _root = FileTreeNode.Build([]);
    private IReadOnlyList<ArtifactFileEntry>? _builtFrom;
    private string? _revealed;

    [Parameter, EditorRequired]
    public required IReadOnlyList<ArtifactFileEntry> Files { get; set; }

    [Parameter]
    public string? SelectedPath { get; set; }

    /// <summary>Thumbnail URLs by file path, shown instead of the file's icon (images, once their job has run).</summary>
    [Parameter]
    public IReadOnlyDictionary<string, string>? Thumbnails { get; set; }

    [Parameter]
    public EventCallback<string> SelectedPathChanged { get; set; }

    /// <summary>Versions with at most this many files show every folder open.</summary>
    [Parameter]
    public int ExpandAllUpTo { get; set; } = 200;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_builtFrom, Files))
        {
            _builtFrom = Files;
            _root = FileTreeNode.Build(Files);
            _expanded.Clear();
            _revealed = null;
            if (Files.Count <= ExpandAllUpTo)
            {
                ExpandAll(_root);
            }
        }

        if (SelectedPath is not null && SelectedPath != _revealed)
        {
            _revealed = SelectedPath;
            _expanded.UnionWith(FileTreeNode.AncestorsOf(SelectedPath));
        }

        Flatten();
    }

    internal static string ShortHash(string sha256) => sha256.Length > 8 ? sha256[..8] : sha256;

    private static string FileCountText(int count) => count == 1 ? "1 file" : $"{count:N0} files";

    private static string RowClass(bool selected) => selected ? "file-tree-row file-tree-row-selected" : "file-tree-row";

    private static string IconFor(ArtifactFileEntry file) => PreviewClassifier.Classify(file.Path, file.MediaType, file.Size).Kind switch
    {
        PreviewKind.Table => Icons.Material.Outlined.TableChart,
        PreviewKind.Image => Icons.Material.Outlined.Image,
        PreviewKind.Text => Icons.Material.Outlined.Description,
        PreviewKind.Markdown => Icons.Material.Outlined.Article,
        PreviewKind.Html => Icons.Material.Outlined.Html,
        PreviewKind.Model => Icons.Material.Outlined.Memory,
        _ => Icons.Material.Outlined.InsertDriveFile,
    };

    private bool IsExpanded(FileTreeNode folder) => _expanded.Contains(folder.Path);

    private void ExpandAll(FileTreeNode folder)
    {
        foreach (var child in folder.Children.Where(c => c.IsFolder))
        {
            _expanded.Add(child.Path);
            ExpandAll(child);
        }
    }

    private void Flatten()
    {
        var rows = new List<FileTreeRow>();
        AddRows(_root, 0, rows);
        _rows = rows;
    }

    private void AddRows(FileTreeNode folder, int depth, List<FileTreeRow> rows)
    {
        foreach (var child in folder.Children)
        {
            rows.Add(new FileTreeRow(child, depth));
            if (child.IsFolder && IsExpanded(child))
            {
                AddRows(child, depth + 1, rows);
            }
        }
    }

    private async Task ActivateAsync(FileTreeNode node)
    {
        if (node.IsFolder)
        {
            if (!_expanded.Remove(node.Path))
            {
                _expanded.Add(node.Path);
            }

            Flatten();
            return;
        }

        SelectedPath = node.Path;
        await SelectedPathChanged.InvokeAsync(node.Path);
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e, FileTreeNode node)
    {
        if (e.Key is "Enter" or " ")
        {
            await ActivateAsync(node);
        }
    }

    private async Task CopyHashAsync(ArtifactFileEntry file)
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", file.Sha256);
        Snackbar.Add("SHA-256 copied to the clipboard.", Severity.Info);
    }
}

/// <summary>One visible line of the tree.</summary>
internal sealed record FileTreeRow(FileTreeNode Node, int Depth);
