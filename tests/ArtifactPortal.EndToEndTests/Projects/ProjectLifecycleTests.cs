using ArtifactPortal.Core.Projects;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Projects;

[Collection(PortalSuite.Name)]
public sealed class ProjectLifecycleTests(PortalFixture fixture)
{
    private const string Description = """
        Gradient-boosted trees that flag **card fraud** within 50 ms.

        - Training data: `transactions-2026` (see the [runbook](https://example.com/runbook))
        - Owner on call: the *risk* team
        """;

    [Fact]
    public async Task Settings_RenameProject_NewAddressAndOldLinkStillWorks()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("owner"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var slug = await CreateProjectAsync(email, $"Fraud detection {suffix}", $"fraud-{suffix}");
        var page = await fixture.NewSignedInPageAsync(email);
        var project = new ProjectPage(page);

        await project.OpenAsync($"p/{slug}", $"Fraud detection {suffix}");
        await Expect(page.GetByTestId("project-description").Locator("strong")).ToHaveTextAsync("card fraud");
        await Expect(page.GetByTestId("project-facts")).ToContainTextAsync("Owner");
        await fixture.ScreenshotAsync(page, "project-overview");

        await project.Tab("Settings").ClickAsync();
        var settings = new ProjectSettingsPage(page);
        await Expect(settings.NameField).ToHaveValueAsync($"Fraud detection {suffix}");
        await fixture.ScreenshotAsync(page, "project-settings");
        await settings.NameField.FillAsync($"Card fraud {suffix}");
        await settings.SlugField.FillAsync($"card-fraud-{suffix}");
        await settings.SaveButton.ClickAsync();

        await Expect(page).ToHaveURLAsync(ProjectUrls.EndsWith($"/p/card-fraud-{suffix}/settings"));
        await Expect(settings.Name).ToHaveTextAsync($"Card fraud {suffix}");
        await Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();

        // A link shared before the rename still arrives.
        await page.GotoAsync($"p/{slug}");
        await Expect(page).ToHaveURLAsync(ProjectUrls.EndsWith($"/p/card-fraud-{suffix}"));
        await Expect(project.Name).ToHaveTextAsync($"Card fraud {suffix}");

        await project.WaitForInteractiveAsync();
        await project.Tab("Audit log").ClickAsync();
        var audit = new AuditLogPage(page);
        await Expect(audit.Row("project.settings_changed")).ToContainTextAsync($"URL name fraud-{suffix} → card-fraud-{suffix}");
        await Expect(audit.Row("project.created")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "project-audit");

        var download = await page.RunAndWaitForDownloadAsync(() => audit.ExportButton.ClickAsync());
        Assert.Equal($"card-fraud-{suffix}-audit-{DateTime.UtcNow:yyyy-MM-dd}.csv", download.SuggestedFilename);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Settings_DeleteWithTypedName_ThenAdministratorRestores()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("deleter"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Old pipeline {suffix}";
        var slug = await CreateProjectAsync(email, name, $"old-pipeline-{suffix}");
        var page = await fixture.NewSignedInPageAsync(email);
        var settings = new ProjectSettingsPage(page);
        await settings.OpenAsync($"p/{slug}/settings", name);

        await settings.DeleteButton.ClickAsync();
        await Expect(settings.DeleteDialog).ToBeVisibleAsync();
        await settings.DeleteConfirmName.FillAsync(name.ToUpperInvariant());
        await Expect(settings.DeleteConfirmButton).ToBeDisabledAsync();
        await settings.DeleteConfirmName.FillAsync(name);
        await Expect(settings.DeleteConfirmButton).ToBeEnabledAsync();
        await fixture.ScreenshotAsync(page, "project-delete-dialog");
        await settings.DeleteConfirmButton.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your projects" })).ToBeVisibleAsync();
        var gone = await page.GotoAsync($"p/{slug}");
        Assert.Equal(404, gone?.Status);
        await page.Context.CloseAsync();

        var admin = await fixture.NewSignedInPageAsync(PortalFixture.AdminEmail);
        var deleted = new DeletedProjectsPage(admin);
        await admin.GotoAsync(DeletedProjectsPage.Path);
        await Expect(deleted.Heading).ToBeVisibleAsync();
        await deleted.WaitForInteractiveAsync();
        await Expect(deleted.Row(name)).ToContainTextAsync(email);
        await fixture.ScreenshotAsync(admin, "admin-deleted-projects");
        await deleted.RestoreButton(name).ClickAsync();
        await Expect(admin.GetByText($"Restored {name}")).ToBeVisibleAsync();
        await Expect(deleted.Row(name)).ToHaveCountAsync(0);

        await admin.GotoAsync("admin/audit");
        var audit = new AuditLogPage(admin);
        await audit.WaitForInteractiveAsync();
        await audit.ActorFilter.FillAsync(email);
        await Expect(audit.Row("project.deleted")).ToContainTextAsync(name);
        await Expect(audit.Rows).ToHaveCountAsync(2);
        await audit.ActorFilter.FillAsync("");
        await Expect(audit.Row("project.restored").First).ToContainTextAsync(name);
        await fixture.ScreenshotAsync(admin, "admin-audit");

        var project = new ProjectPage(admin);
        await project.OpenAsync($"p/{slug}", name);
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task ProjectsListAndHelp_SignedIn_ShowProjectsAndPermissionMatrix()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("browser"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await CreateProjectAsync(email, $"Speech to text {suffix}", $"speech-{suffix}");
        await CreateProjectAsync(PortalFixture.AdminEmail, $"Shared embeddings {suffix}", $"embeddings-{suffix}", ProjectVisibility.Internal);
        await CreateProjectAsync(PortalFixture.AdminEmail, $"Private admin work {suffix}", $"admin-work-{suffix}");
        var page = await fixture.NewSignedInPageAsync(email);

        var home = await HomePage.OpenAsync(page);
        await page.GetByTestId("browse-all-projects").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "All projects" })).ToBeVisibleAsync();
        await home.WaitForInteractiveAsync();
        await page.GetByLabel("Search projects", new() { Exact = true }).FillAsync(suffix);
        await Expect(home.ProjectCards).ToHaveCountAsync(2);
        await Expect(home.ProjectCard($"Shared embeddings {suffix}")).ToContainTextAsync("Not a member");
        await fixture.ScreenshotAsync(page, "projects-list");

        await home.Drawer.GetByRole(AriaRole.Link, new() { Name = "Help" }).ClickAsync();
        var matrix = page.GetByTestId("permission-matrix");
        await Expect(matrix.Locator("tbody tr")).ToHaveCountAsync(Enum.GetValues<ProjectOperation>().Length);
        await Expect(matrix.Locator("tbody tr").Filter(new() { HasText = "Delete the project" })).ToContainTextAsync("Owner: allowed");
        await fixture.ScreenshotAsync(page, "help");
        await page.Context.CloseAsync();
    }

    private Task<string> CreateProjectAsync(string email, string name, string slug, ProjectVisibility visibility = ProjectVisibility.Private) =>
        fixture.CreateProjectAsync(email, name, slug, Description, visibility);
}
