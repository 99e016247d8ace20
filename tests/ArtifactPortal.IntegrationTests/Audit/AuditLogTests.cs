using System.Net;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using nietras.SeparatedValues;

namespace ArtifactPortal.IntegrationTests.Audit;

[Collection(PortalCollectionDefinition.Name)]
public sealed class AuditLogTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task ProjectLifecycle_EveryActionWritesAnAuditEntry(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "auditee");
        var admin = await PortalUsers.PrincipalAsync(portal, PortalFixture.OwnerEmail);
        var slug = await portal.CreateProjectAsync(owner, "Audited");
        var id = await portal.ProjectIdAsync(slug);
        var renamed = ProjectScenario.NewSlug("audited");

        await portal.Projects().UpdateSettingsAsync(owner, slug, new ProjectSettings("Audited twice", renamed, "New text", ProjectVisibility.Internal));
        await portal.Projects().ArchiveAsync(owner, renamed);
        await portal.Projects().UnarchiveAsync(owner, renamed);
        await portal.Projects().DeleteAsync(owner, renamed, "Audited twice");
        await portal.Projects().RestoreAsync(admin, id);

        var entries = await portal.AuditEntriesAsync(id);
        Assert.Equal(
            new[]
            {
                AuditActions.ProjectArchived, AuditActions.ProjectCreated, AuditActions.ProjectDeleted, AuditActions.ProjectRestored,
                AuditActions.ProjectSettingsChanged, AuditActions.ProjectUnarchived,
            },
            entries.Select(e => e.Action).Order(StringComparer.Ordinal));
        var settings = Assert.Single(entries, e => e.Action == AuditActions.ProjectSettingsChanged);
        Assert.Equal($"URL name {slug} → {renamed}; name \"Audited\" → \"Audited twice\"; visibility Private → Internal; description changed", settings.Details);
        Assert.Equal(owner.Identity!.Name, settings.ActorName);
        Assert.Equal(admin.Identity!.Name, Assert.Single(entries, e => e.Action == AuditActions.ProjectRestored).ActorName);
        Assert.All(entries, e => Assert.Contains("Audited", e.Target, StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task UpdateSettingsAsync_NothingChanged_WritesNoEntry(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "idle");
        var slug = await portal.CreateProjectAsync(owner, "Same", description: "Same text");

        var result = await portal.Projects().UpdateSettingsAsync(owner, slug, new ProjectSettings(" Same ", slug, "Same text\n", ProjectVisibility.Private));

        Assert.True(result.Succeeded);
        Assert.Equal([AuditActions.ProjectCreated], (await portal.AuditEntriesAsync(await portal.ProjectIdAsync(slug))).Select(e => e.Action));
    }

    [Theory, DatabaseProviders]
    public async Task ExportCsv_WithFilters_ReturnsHeaderAndOnlyMatchingRows(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        var email = PortalBrowser.NewEmail("exporter");
        await browser.RegisterAndSignInAsync(email);
        var owner = await PortalUsers.PrincipalAsync(portal, email);
        var slug = await portal.CreateProjectAsync(owner, "=HYPERLINK(\"evil\")");
        await portal.Projects().ArchiveAsync(owner, slug);
        await portal.Projects().UnarchiveAsync(owner, slug);
        await portal.Projects().ArchiveAsync(owner, slug);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using var all = await browser.Client.GetAsync($"/p/{slug}/audit.csv");
        using var archived = await browser.Client.GetAsync($"/p/{slug}/audit.csv?action=project.archived&actor=EXPORTER&from={today}&to={today}");
        using var tomorrow = await browser.Client.GetAsync($"/p/{slug}/audit.csv?from={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}");
        using var otherActor = await browser.Client.GetAsync($"/p/{slug}/audit.csv?actor=somebody-else");

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/csv", all.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{slug}-audit-{today}.csv", all.Content.Headers.ContentDisposition?.FileNameStar ?? all.Content.Headers.ContentDisposition?.FileName);
        var allRows = await ReadCsvAsync(all);
        Assert.Equal(["project.archived", "project.unarchived", "project.archived", "project.created"], allRows.Select(r => r["Action"]));
        // A name that looks like a spreadsheet formula is written as text.
        Assert.All(allRows, r => Assert.Equal("'=HYPERLINK(\"evil\")", r["Target"]));
        var archivedRows = await ReadCsvAsync(archived);
        Assert.Equal(2, archivedRows.Count);
        Assert.All(archivedRows, r => Assert.Equal(email, r["Actor"]));
        Assert.Empty(await ReadCsvAsync(tomorrow));
        Assert.Empty(await ReadCsvAsync(otherActor));
    }

    [Theory, DatabaseProviders]
    public async Task Get_AuditPages_AsOwnerAndAdministrator_OfferTheCsvDownload(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        using var browser = portal.CreateBrowser();
        var email = PortalBrowser.NewEmail("auditor");
        await browser.RegisterAndSignInAsync(email);
        var slug = await portal.CreateProjectAsync(await PortalUsers.PrincipalAsync(portal, email), "Audit page");
        using var admin = portal.CreateBrowser();
        await admin.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);

        var projectPage = await browser.OpenAsync($"/p/{slug}/audit");
        var sitePage = await admin.OpenAsync("/admin/audit");

        Assert.Equal($"p/{slug}/audit.csv", projectPage.Document.QuerySelector("[data-testid=audit-export]")?.GetAttribute("href"));
        Assert.True(projectPage.Document.QuerySelector("[data-testid=audit-export]")?.HasAttribute("download"));
        Assert.Equal("admin/audit.csv", sitePage.Document.QuerySelector("[data-testid=audit-export]")?.GetAttribute("href"));
    }

    [Theory, DatabaseProviders]
    public async Task ExportSiteWideCsv_AdministratorGetsEveryProjectAndOthersAreRefused(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "siteaudit");
        var slug = await portal.CreateProjectAsync(owner, $"Site audit {Guid.NewGuid():N}");
        using var admin = portal.CreateBrowser();
        await admin.LogInSuccessfullyAsync(PortalFixture.OwnerEmail);
        using var someone = portal.CreateBrowser();
        await someone.RegisterAndSignInAsync(PortalBrowser.NewEmail("someone"));

        using var csv = await admin.Client.GetAsync($"/admin/audit.csv?action=project.created&actor={Uri.EscapeDataString(owner.Identity!.Name!)}");
        using var refused = await someone.Client.GetAsync("/admin/audit.csv");

        var row = Assert.Single(await ReadCsvAsync(csv));
        Assert.Equal(await portal.QueryAsync(async db => (await db.Projects.FindAsync(await portal.ProjectIdAsync(slug)))!.Name), row["Project"]);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEqual("text/csv", refused.Content.Headers.ContentType?.MediaType);
        var audit = portal.Services.GetRequiredService<AuditService>();
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => audit.ListSiteWideAsync(owner, new AuditFilter(), 0, 10));
    }

    [Theory, DatabaseProviders]
    public async Task ListForProjectAsync_Pages_NewestFirstWithTotal(DatabaseProvider provider)
    {
        var portal = await fixture.SharedPortalAsync(provider);
        var owner = await PortalUsers.CreateAsync(portal, "pager");
        var viewer = await PortalUsers.CreateAsync(portal, "viewer");
        var slug = await portal.CreateProjectAsync(owner, "Paged");
        await portal.AddMemberAsync(slug, viewer, ProjectRole.Viewer);
        for (var i = 0; i < 3; i++)
        {
            await portal.Projects().ArchiveAsync(owner, slug);
            await portal.Projects().UnarchiveAsync(owner, slug);
        }

        var audit = portal.Services.GetRequiredService<AuditService>();
        var first = await audit.ListForProjectAsync(owner, slug, new AuditFilter(), 0, 4);
        var second = await audit.ListForProjectAsync(owner, slug, new AuditFilter(), 4, 4);

        Assert.Equal(7, first.TotalCount);
        Assert.Equal(4, first.Rows.Count);
        Assert.Equal(3, second.Rows.Count);
        Assert.Equal(AuditActions.ProjectCreated, second.Rows[^1].Action);
        Assert.Equal(first.Rows.Concat(second.Rows).Select(r => r.OccurredAt).OrderDescending(), first.Rows.Concat(second.Rows).Select(r => r.OccurredAt));
        await Assert.ThrowsAsync<PortalAccessDeniedException>(() => audit.ListForProjectAsync(viewer, slug, new AuditFilter(), 0, 10));
    }

    private static async Task<List<Dictionary<string, string>>> ReadCsvAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("Time (UTC),Actor,Action,Target,Details,IP address", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(text.TrimStart('\uFEFF'));
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>();
            foreach (var name in reader.Header.ColNames)
            {
                values[name] = row[name].ToString();
            }

            rows.Add(values);
        }

        return rows;
    }
}
