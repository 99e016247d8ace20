using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ArtifactPortal.EndToEndTests.Pages;

/// <summary>/p/{slug}/settings.</summary>
public sealed class ProjectSettingsPage(IPage page) : ProjectPage(page)
{
    public ILocator NameField => Page.GetByTestId("settings-name");

    public ILocator SlugField => Page.GetByTestId("settings-slug");

    public ILocator DescriptionField => Page.GetByTestId("settings-description");

    public ILocator SaveButton => Page.GetByTestId("settings-save");

    public ILocator ArchiveButton => Page.GetByTestId("settings-archive-button");

    public ILocator DeleteButton => Page.GetByTestId("settings-delete");

    public ILocator DeleteDialog => Page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "Delete project" });

    public ILocator DeleteConfirmName => DeleteDialog.GetByTestId("delete-confirm-name");

    public ILocator DeleteConfirmButton => DeleteDialog.GetByRole(AriaRole.Button, new() { Name = "Delete this project" });
}

/// <summary>/p/{slug}/audit and /admin/audit.</summary>
public sealed class AuditLogPage(IPage page) : ProjectPage(page)
{
    public ILocator Table => Page.GetByTestId("audit-table");

    public ILocator Rows => Table.Locator("tbody tr");

    public ILocator ActorFilter => Page.GetByTestId("audit-actor");

    public ILocator ExportButton => Page.GetByTestId("audit-export");

    public ILocator Row(string action) => Rows.Filter(new() { HasText = action });
}

/// <summary>/admin/projects/deleted.</summary>
public sealed class DeletedProjectsPage(IPage page) : PortalLayout(page)
{
    public const string Path = "admin/projects/deleted";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Deleted projects" });

    public ILocator Row(string name) => Page.GetByTestId("deleted-projects").Locator("tbody tr").Filter(new() { HasText = name });

    public ILocator RestoreButton(string name) => Page.GetByRole(AriaRole.Button, new() { Name = $"Restore {name}" });
}

public static partial class ProjectUrls
{
    public static Regex EndsWith(string path) => new($"{Regex.Escape(path)}$");
}
