using ArtifactPortal.EndToEndTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Projects;

[Collection(PortalSuite.Name)]
public sealed class NewProjectTests(PortalFixture fixture)
{
    [Fact]
    public async Task NewProjectDialog_ValidName_ShowsProjectCardOnHome()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("projects"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Fraud detection {suffix}";
        var page = await fixture.NewSignedInPageAsync(email);
        var home = await HomePage.OpenAsync(page);
        await Expect(home.EmptyState).ToBeVisibleAsync();

        var dialog = await home.OpenNewProjectDialogAsync();
        await dialog.FillAsync(name, "Gradient-boosted models on card transactions.");
        await Expect(dialog.Slug).ToHaveValueAsync($"fraud-detection-{suffix}");
        await fixture.ScreenshotAsync(page, "new-project-dialog");
        await dialog.CreateAsync();

        await Expect(dialog.Root).ToHaveCountAsync(0);
        await Expect(home.ProjectCard(name)).ToBeVisibleAsync();
        await Expect(home.ProjectCard(name)).ToContainTextAsync($"fraud-detection-{suffix}");
        await Expect(home.EmptyState).ToHaveCountAsync(0);
        await Expect(page.GetByText($"Created project {name}.")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "home-with-project");

        // Still there on a fresh load: it was saved, not only added to the page.
        await page.ReloadAsync();
        await home.WaitUntilShownAsync();
        await Expect(home.ProjectCards).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
