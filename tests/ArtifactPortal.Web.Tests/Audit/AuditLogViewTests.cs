using ArtifactPortal.Core.Audit;
using ArtifactPortal.Web.Features.Audit;
using Bunit;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Audit;

public sealed class AuditLogViewTests : PortalComponentTestBase
{
    private static readonly AuditRow Created = new(
        Guid.NewGuid(), new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero), "ada@example.com", AuditActions.ProjectCreated,
        "Fraud detection", "URL name fraud, Private", "10.0.0.7", Guid.NewGuid(), "Fraud detection", "fraud", ProjectDeleted: false);

    [Fact]
    public void Render_Entries_ShowsRowsAndExportLinkWithFilters()
    {
        var filters = new List<AuditFilter>();
        Context.Render<MudPopoverProvider>();

        var view = Context.Render<AuditLogView>(p => p
            .Add(v => v.Load, (filter, skip, take, _) =>
            {
                filters.Add(filter);
                return Task.FromResult(new AuditPage([Created], 1));
            })
            .Add(v => v.CsvHref, query => query.AppendTo("p/fraud/audit.csv")));

        view.WaitForAssertion(() => Assert.Contains("ada@example.com", view.Find("[data-testid=audit-table] tbody").TextContent, StringComparison.Ordinal));
        var row = view.Find("[data-testid=audit-table] tbody tr");
        Assert.Contains("2026-11-27", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("09:30:00", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("project.created", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("p/fraud/audit.csv", view.Find("[data-testid=audit-export]").GetAttribute("href"));
        Assert.Equal(new AuditFilter(), filters[^1]);

        view.Find("input[data-testid=audit-actor]").Input("ada");

        view.WaitForAssertion(() => Assert.Equal("p/fraud/audit.csv?actor=ada", view.Find("[data-testid=audit-export]").GetAttribute("href")));
        Assert.Equal("ada", filters[^1].Actor);
    }
}
