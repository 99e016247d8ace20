using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Models;

[Collection(PortalSuite.Name)]
public sealed class PromotionWorkflowTests(PortalFixture fixture)
{
    [Fact]
    public async Task Promotion_EditorRequestsMaintainerApproves_ProductionMovesAndRequesterCannotApprove()
    {
        var owner = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("model-owner"));
        var maintainer = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("reviewer"));
        var editor = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("requester"));
        var slug = await fixture.CreateProjectAsync(owner, "Fraud models", $"fraud-{Guid.NewGuid().ToString("N")[..6]}");
        var ownerPrincipal = await fixture.PrincipalAsync(owner);
        var members = fixture.Services.GetRequiredService<ProjectMemberService>();
        Assert.True((await members.AddAsync(ownerPrincipal, slug, maintainer, ProjectRole.Maintainer)).Succeeded);
        Assert.True((await members.AddAsync(ownerPrincipal, slug, editor, ProjectRole.Editor)).Succeeded);
        Assert.True((await fixture.Services.GetRequiredService<ArtifactService>()
            .CreateAsync(ownerPrincipal, slug, new NewArtifact("fraud-detector", ArtifactType.Model))).Succeeded);
        await ModelVersions.AddAsync(fixture, ownerPrincipal, slug, "fraud-detector", """{"auc": 0.91, "threshold": 0.5}""");
        await ModelVersions.AddAsync(fixture, ownerPrincipal, slug, "fraud-detector", """{"auc": 0.94, "threshold": 0.45}""");
        await fixture.Services.GetRequiredService<PromotionService>()
            .OverrideAsync(ownerPrincipal, slug, "fraud-detector", "production", 1, "initial deployment");

        var reviewerPage = await fixture.NewSignedInPageAsync(maintainer);
        var reviewer = new ModelPages(reviewerPage);
        await reviewer.OpenAsync($"p/{slug}/models");
        await Expect(reviewerPage.GetByTestId("holder-production")).ToHaveTextAsync("v1");
        await Expect(reviewer.BellCount).ToBeHiddenAsync();
        await fixture.ScreenshotAsync(reviewerPage, "models-1-list-before");

        var requesterPage = await fixture.NewSignedInPageAsync(editor);
        var requester = new ModelPages(requesterPage);
        await requester.OpenAsync($"p/{slug}/artifacts/fraud-detector/v2");
        await requester.RequestPromotionButton.ClickAsync();
        await requester.Justification.FillAsync("AUC 0.94 on the March holdout, up from 0.91.");
        await fixture.ScreenshotAsync(requesterPage, "models-2-request-dialog");
        await requester.SubmitRequest.ClickAsync();
        await Expect(requesterPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/p/{slug}/promotions/1$"));
        await Expect(requester.Status).ToHaveTextAsync("open");
        await Expect(requester.Approve).ToHaveCountAsync(0);
        await Expect(requester.ReviewBlocked).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(requesterPage, "models-3-requester-view");

        // No reload: the bell polls.
        await Expect(reviewer.BellCount).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await fixture.ScreenshotAsync(reviewerPage, "models-4-bell");
        await reviewer.OpenAsync("reviews");
        await Expect(reviewerPage.GetByTestId("promotion-link")).ToHaveTextAsync("#1");
        await fixture.ScreenshotAsync(reviewerPage, "models-4c-my-reviews");
        await reviewer.OpenAsync($"p/{slug}/promotions");
        await Expect(reviewerPage.GetByTestId("promotion-link")).ToHaveTextAsync("#1");
        await fixture.ScreenshotAsync(reviewerPage, "models-4d-promotions");
        await reviewer.Bell.ClickAsync();
        await fixture.ScreenshotAsync(reviewerPage, "models-4b-bell-menu");
        await reviewer.NotificationItems.First.ClickAsync();
        await Expect(reviewerPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/p/{slug}/promotions/1$"));
        await Expect(reviewer.CandidateHeader).ToContainTextAsync("v2");
        await Expect(reviewer.HolderHeader).ToContainTextAsync("v1");
        await Expect(reviewer.BellCount).ToBeHiddenAsync();
        await fixture.ScreenshotAsync(reviewerPage, "models-5-compare");

        await reviewer.Approve.ClickAsync();
        await reviewer.ReviewComment.FillAsync("Checked the holdout report; ship it.");
        await reviewer.SubmitReview.ClickAsync();
        await Expect(reviewer.Status).ToHaveTextAsync("approved");
        await Expect(reviewer.HolderHeader).ToContainTextAsync("Previous production: v1");
        await fixture.ScreenshotAsync(reviewerPage, "models-6-approved");

        await reviewer.OpenAsync($"p/{slug}/models/fraud-detector");
        await Expect(reviewer.AliasCard("production").GetByTestId("alias-holder")).ToHaveTextAsync("v2");
        await Expect(reviewer.ArchivedMarker.First).ToHaveTextAsync("v1 archived");
        await fixture.ScreenshotAsync(reviewerPage, "models-7-model-page");

        await requester.OpenAsync($"p/{slug}/promotions/1");
        await Expect(requester.Status).ToHaveTextAsync("approved");
        await Expect(requester.Approve).ToHaveCountAsync(0);
        await reviewerPage.Context.CloseAsync();
        await requesterPage.Context.CloseAsync();
    }
}
