using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Layout;
using ArtifactPortal.Web.Features.Models;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactPortal.Web.Tests.Features.Models;

public sealed class PromotionRequestPageTests : ArtifactPageTestBase
{
    // Notifications are rows written with the change; sending email and webhooks (Hangfire) is not part of these pages.
    public PromotionRequestPageTests() => Context.Services.AddSingleton<IAnnouncementDispatcher, NoDispatch>();

    [Fact]
    public async Task Render_AsRequester_HidesReviewButtonsAndSaysWhy()
    {
        await SeedAsync();
        var editor = await CreateUserAsync("editor@example.com");
        await Data.AddMemberAsync(OwnerPrincipal, Slug, editor.UserName!, ProjectRole.Editor);
        await RequestAsync(PrincipalOf(editor), 2);
        SignIn(editor);

        var page = RenderPage<PromotionRequestPage>(("Slug", Slug), ("Number", 1));

        page.WaitForElement("[data-testid=request-header]");
        Assert.Empty(page.FindAll("[data-testid=approve]"));
        Assert.Empty(page.FindAll("[data-testid=reject]"));
        Assert.Empty(page.FindAll("[data-testid=request-changes]"));
        Assert.Contains("You", page.Find("[data-testid=review-blocked]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=withdraw]"));
    }

    [Fact]
    public async Task Render_AsOwner_ShowsReviewButtonsChecksAndBothVersions()
    {
        await SeedAsync();
        var editor = await CreateUserAsync("editor@example.com");
        await Data.AddMemberAsync(OwnerPrincipal, Slug, editor.UserName!, ProjectRole.Editor);
        await Services.GetRequiredService<ProtectedAliasService>().SetAsync(OwnerPrincipal, Slug,
            new ProtectedAliasInput("production", 1, ProjectRole.Maintainer, null, null, [
                new PromotionCheckSpec(PromotionCheckKind.MetricAtLeast, "accuracy", 0.9),
                new PromotionCheckSpec(PromotionCheckKind.MetricAtLeast, "accuracy", 0.95),
            ]));
        await Services.GetRequiredService<PromotionService>().OverrideAsync(OwnerPrincipal, Slug, "resnet", "production", 1, "first deployment");
        await RequestAsync(PrincipalOf(editor), 2);
        SignIn(Owner);

        var page = RenderPage<PromotionRequestPage>(("Slug", Slug), ("Number", 1));

        page.WaitForElement("[data-testid=request-header]");
        Assert.Equal("Approve", page.Find("[data-testid=approve]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=reject]"));
        Assert.NotEmpty(page.FindAll("[data-testid=request-changes]"));
        Assert.Empty(page.FindAll("[data-testid=review-blocked]"));
        var checks = page.FindAll("[data-testid=request-check]").Select(c => c.TextContent).ToList();
        Assert.Equal(2, checks.Count);
        var met = checks.Single(c => c.Contains("accuracy ≥ 0.9 ", StringComparison.Ordinal) || c.Contains("accuracy ≥ 0.9\n", StringComparison.Ordinal));
        Assert.Contains("passed", met, StringComparison.Ordinal);
        var missed = checks.Single(c => c.Contains("accuracy ≥ 0.95", StringComparison.Ordinal));
        Assert.Contains("failed", missed, StringComparison.Ordinal);
        Assert.Contains("Candidate v2", page.Find("[data-testid=compare-candidate]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Current production: v1", page.Find("[data-testid=compare-holder]").TextContent, StringComparison.Ordinal);
        var accuracy = page.FindAll("[data-testid=compare-row]").Single(r => r.QuerySelector("th")!.TextContent == "accuracy");
        Assert.Equal("true", accuracy.GetAttribute("data-differs"));
        Assert.Equal(["0.93", "—"], accuracy.QuerySelectorAll("td").Select(c => c.TextContent));
    }

    [Fact]
    public async Task NotificationBell_NewRequest_CountRisesWithoutReload()
    {
        await SeedAsync();
        var editor = await CreateUserAsync("editor@example.com");
        await Data.AddMemberAsync(OwnerPrincipal, Slug, editor.UserName!, ProjectRole.Editor);
        await RequestAsync(PrincipalOf(editor), 2);
        SignIn(Owner);

        var bell = Context.Render<NotificationBell>(p => p.Add(b => b.Interval, TimeSpan.FromMilliseconds(100)));

        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find(".mud-badge").TextContent.Trim()));
        await Services.GetRequiredService<PromotionService>().CreateAsync(PrincipalOf(editor), Slug, "resnet",
            new NewPromotionRequest("staging", 2, "ready for staging"));
        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find(".mud-badge").TextContent.Trim()));
    }

    private Task<PromotionRequestDetails> RequestAsync(System.Security.Claims.ClaimsPrincipal requester, int version) =>
        Services.GetRequiredService<PromotionService>().CreateAsync(requester, Slug, "resnet",
            new NewPromotionRequest("production", version, "better accuracy on the holdout set"));

    private sealed class NoDispatch : IAnnouncementDispatcher
    {
        public Task DispatchAsync(Announcement announcement, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private async Task SeedAsync()
    {
        await CreateProjectAsync();
        await Data.CreateArtifactAsync(OwnerPrincipal, Slug, "resnet", ArtifactType.Model);
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "resnet", new Dictionary<string, string> { ["model.pt"] = "weights-1" });
        await Data.AddVersionAsync(OwnerPrincipal, Slug, "resnet", new Dictionary<string, string> { ["model.pt"] = "weights-2" },
            """{"accuracy": 0.93}""");
    }
}
