using ArtifactPortal.Core.Projects;

namespace ArtifactPortal.Core.Tests.Projects;

public class ProjectPermissionTableTests
{
    private const string Start = "<!-- permission-matrix:start -->\n";
    private const string End = "<!-- permission-matrix:end -->";
    private const string UpdateVariable = "ARTIFACTPORTAL_UPDATE_DOCS";

    [Fact]
    public void ToMarkdown_DocsPermissionsFile_MatchesTheMatrixInTheCode()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "permissions.md");
        var document = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = document.IndexOf(Start, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} lacks the {Start.Trim()} … {End} markers.");
        var documented = document[(start + Start.Length)..end];
        var generated = ProjectPermissionTable.ToMarkdown();

        if (documented != generated && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, document[..(start + Start.Length)] + generated + document[end..]);
            return;
        }

        Assert.True(documented == generated,
            $"docs/permissions.md is out of date. Run this test with {UpdateVariable}=1 to rewrite it, or paste:\n{generated}");
    }

    [Fact]
    public void Rows_EveryOperation_OneRowWithACellPerRoleAndAdministrator()
    {
        Assert.Equal(Enum.GetValues<ProjectOperation>(), ProjectPermissionTable.Rows.Select(r => r.Operation));
        Assert.All(ProjectPermissionTable.Rows, row =>
        {
            Assert.Equal(ProjectPermissionTable.Columns.Count, row.Allowed.Count);
            Assert.False(string.IsNullOrWhiteSpace(row.Description));
            Assert.NotEqual(row.Operation.ToString(), row.Label);
            // Site administrators may do everything, and each role may do at least what the one below it may.
            Assert.True(row.Allowed[^1]);
            for (var i = 1; i < row.Allowed.Count; i++)
            {
                Assert.True(row.Allowed[i] || !row.Allowed[i - 1], $"{row.Label}: column {i} allows less than column {i - 1}.");
            }
        });
    }

    [Fact]
    public void Rows_Delete_OnlyOwnersAndAdministratorsAndAlsoWhenArchived()
    {
        var delete = Assert.Single(ProjectPermissionTable.Rows, r => r.Operation == ProjectOperation.Delete);
        Assert.Equal([false, false, false, true, true], delete.Allowed);
        Assert.True(delete.AllowedWhenArchived);
        Assert.False(Assert.Single(ProjectPermissionTable.Rows, r => r.Operation == ProjectOperation.EditSettings).AllowedWhenArchived);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ArtifactPortal.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ArtifactPortal.sln above {AppContext.BaseDirectory}.");
    }
}
