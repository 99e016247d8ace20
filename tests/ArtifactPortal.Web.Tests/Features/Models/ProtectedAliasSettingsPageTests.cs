using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Features.Models;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Bunit.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Models;

public sealed class ProtectedAliasSettingsPageTests : ArtifactPageTestBase
{
    private ProtectedAliasService Policies => Services.GetRequiredService<ProtectedAliasService>();

    [Fact]
    public async Task Render_AsOwner_ListsTheDefaultPolicies()
    {
        await CreateProjectAsync();
        SignIn(Owner);

        var page = RenderPage<ProtectedAliasSettingsPage>(("Slug", Slug));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=protected-alias]").Count));
        Assert.Equal(["production", "staging"], page.FindAll("[data-testid=protected-alias-name]").Select(e => e.TextContent.Trim()));
        Assert.All(page.FindAll("[data-testid=policy-approvals]"), e => Assert.Equal("1", e.TextContent.Trim()));
        Assert.All(page.FindAll("[data-testid=policy-reviewers]"), e => Assert.Equal("Maintainers and Owners", e.TextContent.Trim()));
        Assert.NotEmpty(page.FindAll("[data-testid=protect-alias]"));
        Assert.Equal(2, page.FindAll("[data-testid=edit-policy]").Count);
    }

    [Fact]
    public async Task EditPolicy_TwoApprovalsAndAMetricCheck_IsSavedShownAndAudited()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        var page = RenderPage<ProtectedAliasSettingsPage>(("Slug", Slug));
        var dialog = OpenEdit(page, "production");

        await dialog.Find("input[data-testid=policy-approvals-input]").ChangeAsync(new() { Value = "2" });
        await dialog.Find("[data-testid=add-check]").ClickAsync(new());
        await dialog.Find("input[data-testid=check-metric]").ChangeAsync(new() { Value = "accuracy" });
        await dialog.Find("input[data-testid=check-threshold]").ChangeAsync(new() { Value = "0.9" });
        await dialog.Find("[data-testid=policy-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=policy-save]")));
        var production = (await Policies.ListAsync(OwnerPrincipal, Slug)).Single(p => p.Name == "production");
        Assert.Equal(2, production.RequiredApprovals);
        Assert.Equal([new PromotionCheckSpec(PromotionCheckKind.MetricAtLeast, "accuracy", 0.9)], production.Checks);
        page.WaitForAssertion(() =>
        {
            var card = page.FindAll("[data-testid=protected-alias]").Single(c => c.GetAttribute("data-alias") == "production");
            Assert.Equal("2", card.QuerySelector("[data-testid=policy-approvals]")!.TextContent.Trim());
            Assert.Contains("accuracy ≥ 0.9", card.QuerySelector("[data-testid=policy-checks]")!.TextContent, StringComparison.Ordinal);
        });
        Assert.Contains(await AuditAsync(), e => e.Action == AuditActions.ProtectedAliasPolicyChanged && e.Target == "production"
            && e.Details.Contains("2 approval(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Protect_InvalidInput_ShowsEachErrorAndSavesNothing()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        var page = RenderPage<ProtectedAliasSettingsPage>(("Slug", Slug));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=protected-alias]").Count));
        // Not awaited: the handler finishes only when the dialog closes.
        page.Find("[data-testid=protect-alias]").Click();
        page.WaitForElement("[data-testid=policy-save]");

        await page.Find("[data-testid=policy-save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Name the alias to protect.", page.Markup, StringComparison.Ordinal));

        await page.Find("input[data-testid=policy-name]").ChangeAsync(new() { Value = "production" });
        await page.Find("[data-testid=policy-save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("'production' is already protected; edit its policy instead.", page.Markup, StringComparison.Ordinal));

        await page.Find("input[data-testid=policy-name]").ChangeAsync(new() { Value = "canary" });
        await page.Find("[data-testid=add-check]").ClickAsync(new());
        await page.Find("[data-testid=policy-save]").ClickAsync(new());
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Which metric?", page.Markup, StringComparison.Ordinal);
            Assert.Contains("A number.", page.Markup, StringComparison.Ordinal);
        });

        await page.Find("[data-testid=check-remove]").ClickAsync(new());
        await page.FindAll("[data-testid=policy-reviewer-mode] input")[1].ClickAsync(new());
        await page.Find("[data-testid=policy-save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Name at least one person or team", page.Markup, StringComparison.Ordinal));

        await page.Find("input[data-testid=policy-users]").ChangeAsync(new() { Value = "nobody-here" });
        await page.Find("[data-testid=policy-save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("There is no user 'nobody-here'.", page.Find("[data-testid=policy-error]").TextContent.Trim()));

        Assert.Equal(["production", "staging"], (await Policies.ListAsync(OwnerPrincipal, Slug)).Select(p => p.Name));
    }

    [Fact]
    public async Task Protect_NamedReviewer_IsSavedAndListedByName()
    {
        await CreateProjectAsync();
        var reviewer = await CreateUserAsync("rita@example.com");
        SignIn(Owner);
        var page = RenderPage<ProtectedAliasSettingsPage>(("Slug", Slug));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=protected-alias]").Count));
        // Not awaited: the handler finishes only when the dialog closes.
        page.Find("[data-testid=protect-alias]").Click();
        page.WaitForElement("[data-testid=policy-save]");

        await page.Find("input[data-testid=policy-name]").ChangeAsync(new() { Value = "Canary" });
        await page.FindAll("[data-testid=policy-reviewer-mode] input")[1].ClickAsync(new());
        await page.Find("input[data-testid=policy-users]").ChangeAsync(new() { Value = reviewer.UserName! });
        await page.Find("[data-testid=policy-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=protected-alias]").Count));
        var canary = page.FindAll("[data-testid=protected-alias]").Single(c => c.GetAttribute("data-alias") == "canary");
        Assert.Equal($"Only {reviewer.UserName}", canary.QuerySelector("[data-testid=policy-reviewers]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Unprotect_Confirmed_RemovesTheAliasAndAuditsIt()
    {
        await CreateProjectAsync();
        SignIn(Owner);
        var page = RenderPage<ProtectedAliasSettingsPage>(("Slug", Slug));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=protected-alias]").Count));

        var staging = page.FindAll("[data-testid=protected-alias]").Single(c => c.GetAttribute("data-alias") == "staging");
        // Not awaited: the handler finishes only when the dialog closes.
        staging.QuerySelector("[data-testid=unprotect-alias]")!.Click();
        page.WaitForAssertion(() => Assert.Contains("becomes a free alias", page.Markup, StringComparison.Ordinal));
        await page.Find("[role=dialog]").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Unprotect").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["production"], page.FindAll("[data-testid=protected-alias-name]").Select(e => e.TextContent.Trim())));
        Assert.Contains(await AuditAsync(), e => e.Action == AuditActions.ProtectedAliasPolicyChanged && e.Target == "staging"
            && e.Details == "no longer protected");
    }

    [Fact]
    public async Task Render_AsEditor_IsReadOnly()
    {
        await CreateProjectAsync();
        await SignInMemberAsync("eddie@example.com", ProjectRole.Editor);

        var page = RenderPage<ProtectedAliasSettingsPage>(("Slug", Slug));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=protected-alias]").Count));
        Assert.NotEmpty(page.FindAll("[data-testid=policies-read-only]"));
        Assert.Empty(page.FindAll("[data-testid=protect-alias]"));
        Assert.Empty(page.FindAll("[data-testid=edit-policy]"));
        Assert.Empty(page.FindAll("[data-testid=unprotect-alias]"));
        Assert.Equal(["settings-section-protected-aliases"], page.FindAll("[data-testid^=settings-section-]").Select(e => e.GetAttribute("data-testid")));
    }

    private static IRenderedComponent<ContainerFragment> OpenEdit(IRenderedComponent<ContainerFragment> page, string alias)
    {
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=protected-alias]").Count));
        var card = page.FindAll("[data-testid=protected-alias]").Single(c => c.GetAttribute("data-alias") == alias);
        // Not awaited: the handler finishes only when the dialog closes.
        card.QuerySelector("[data-testid=edit-policy]")!.Click();
        page.WaitForElement("[data-testid=policy-save]");
        return page;
    }

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = await Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().ToListAsync();
    }
}
