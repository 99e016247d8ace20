using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

public sealed class FileTreeTests : PortalComponentTestBase
{
    private static readonly string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly ArtifactFileEntry[] Files =
    [
        new("data/train.csv", 1536, Hash, "text/csv"),
        new("data/test.csv", 512, "1" + Hash[1..], "text/csv"),
        new("plots/loss.png", 5 * 1024 * 1024, "2" + Hash[1..], "image/png"),
        new("README.md", 42, "3" + Hash[1..], "text/markdown"),
    ];

    [Fact]
    public void Render_FewFiles_ShowsFoldersOpenWithSizesAndShortHashes()
    {
        Context.Render<MudPopoverProvider>();

        var tree = Context.Render<FileTree>(p => p.Add(t => t.Files, Files));

        var rows = tree.FindAll("[role=treeitem]").Select(r => r.TextContent).ToList();
        Assert.Equal(6, rows.Count);
        Assert.Contains("data", rows[0], StringComparison.Ordinal);
        Assert.Contains("2 files", rows[0], StringComparison.Ordinal);
        Assert.Contains("2.0 KB", rows[0], StringComparison.Ordinal);
        Assert.Contains("test.csv", rows[1], StringComparison.Ordinal);
        Assert.Contains("train.csv", rows[2], StringComparison.Ordinal);
        Assert.Contains("1.5 KB", rows[2], StringComparison.Ordinal);
        Assert.Contains(Hash[..8], rows[2], StringComparison.Ordinal);
        Assert.DoesNotContain(Hash, rows[2], StringComparison.Ordinal);
        Assert.Contains("5.0 MB", rows[4], StringComparison.Ordinal);
        Assert.Contains("README.md", rows[5], StringComparison.Ordinal);
        Assert.NotNull(tree.Find($"[aria-label='Copy the SHA-256 of train.csv']"));
    }

    [Fact]
    public void ClickCopy_OnAFileRow_CopiesTheWholeHashAndLeavesTheSelectionAlone()
    {
        string? selected = null;
        var tree = Context.Render<FileTree>(p => p
            .Add(t => t.Files, Files)
            .Add(t => t.SelectedPathChanged, path => selected = path));
        var clipboard = Context.JSInterop.SetupVoid("navigator.clipboard.writeText", Hash);

        var hash = tree.Find("[aria-label='SHA-256 " + Hash + "']");
        tree.Find("[aria-label='Copy the SHA-256 of train.csv']").Click();

        Assert.Equal($"SHA-256 {Hash}", hash.GetAttribute("title"));
        Assert.Equal(Hash, Assert.Single(clipboard.Invocations).Arguments[0]);
        Assert.Null(selected);
    }

    [Fact]
    public void Click_Folder_CollapsesAndOpensIt()
    {
        var tree = Context.Render<FileTree>(p => p.Add(t => t.Files, Files));

        tree.FindAll("[role=treeitem]")[0].Click();

        Assert.DoesNotContain(tree.FindAll("[role=treeitem]"), r => r.TextContent.Contains("train.csv", StringComparison.Ordinal));
        Assert.Equal("false", tree.FindAll("[role=treeitem]")[0].GetAttribute("aria-expanded"));

        tree.FindAll("[role=treeitem]")[0].Click();

        Assert.Contains(tree.FindAll("[role=treeitem]"), r => r.TextContent.Contains("train.csv", StringComparison.Ordinal));
    }

    [Fact]
    public void Click_File_SelectsItAndTellsTheParent()
    {
        string? selected = null;
        var tree = Context.Render<FileTree>(p => p
            .Add(t => t.Files, Files)
            .Add(t => t.SelectedPathChanged, path => selected = path));

        tree.FindAll("[role=treeitem]").Single(r => r.TextContent.Contains("loss.png", StringComparison.Ordinal)).Click();

        Assert.Equal("plots/loss.png", selected);
        var current = tree.Find("[role=treeitem][aria-selected=true]");
        Assert.Contains("loss.png", current.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ManyFiles_StartsWithFoldersClosedExceptTheSelectedFilesFolders()
    {
        var many = Enumerable.Range(0, 3000)
            .Select(i => new ArtifactFileEntry($"shard-{i % 3}/part-{i:D4}.parquet", 1000, Hash, "application/vnd.apache.parquet"))
            .ToList();

        var tree = Context.Render<FileTree>(p => p
            .Add(t => t.Files, many)
            .Add(t => t.SelectedPath, "shard-2/part-0002.parquet"));

        var rows = tree.FindAll("[role=treeitem]");
        Assert.Equal("false", rows[0].GetAttribute("aria-expanded"));
        Assert.Contains("1,000 files", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("true", tree.FindAll("[role=treeitem][aria-expanded]")[2].GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Render_NoFiles_SaysSo()
    {
        var tree = Context.Render<FileTree>(p => p.Add(t => t.Files, Array.Empty<ArtifactFileEntry>()));

        Assert.Contains("This version has no files.", tree.Markup, StringComparison.Ordinal);
    }
}
