using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Help;
using Bunit;

namespace ArtifactPortal.Web.Tests.Help;

public sealed class HelpPageTests : PortalComponentTestBase
{
    [Fact]
    public void Render_PermissionMatrix_OneRowPerOperationWithAllowedCellsFromTheCode()
    {
        var page = Context.Render<HelpPage>();

        var table = page.Find("[data-testid=permission-matrix] table");
        var headers = table.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim());
        Assert.Equal(["Operation", "Viewer", "Editor", "Maintainer", "Owner", "Site admin", "Allowed when archived"], headers);
        var rows = table.QuerySelectorAll("tbody tr");
        Assert.Equal(Enum.GetValues<ProjectOperation>().Length, rows.Length);
        foreach (var (row, expected) in rows.Zip(ProjectPermissionTable.Rows))
        {
            Assert.StartsWith(expected.Label, row.QuerySelector("th")!.TextContent.Trim(), StringComparison.Ordinal);
            // Screen readers hear "Viewer: allowed" etc.; the same words let the test read the cells.
            var cells = row.QuerySelectorAll("td .visually-hidden").Select(span => span.TextContent.Trim()).ToList();
            var allowed = cells.Take(5).Select(c => c.EndsWith(": allowed", StringComparison.Ordinal));
            Assert.Equal(expected.Allowed, allowed);
            Assert.Equal(expected.AllowedWhenArchived, cells[5] == "Allowed when archived");
        }
    }

    [Fact]
    public void Render_DeleteRow_ReadsOwnerAndSiteAdminOnly()
    {
        var page = Context.Render<HelpPage>();

        var delete = page.FindAll("[data-testid=permission-matrix] tbody tr").Single(r => r.TextContent.Contains("Delete the project", StringComparison.Ordinal));

        Assert.Equal(
            ["Viewer: not allowed", "Editor: not allowed", "Maintainer: not allowed", "Owner: allowed", "Site admin: allowed", "Allowed when archived"],
            delete.QuerySelectorAll("td .visually-hidden").Select(span => span.TextContent.Trim()));
    }
}
