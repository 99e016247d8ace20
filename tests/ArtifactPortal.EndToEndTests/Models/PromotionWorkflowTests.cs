using System.Security.Claims;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.EntityFrameworkCore;
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
        await AddVersionAsync(ownerPrincipal, slug, """{"auc": 0.91, "threshold": 0.5}""");
        await AddVersionAsync(ownerPrincipal, slug, """{"auc": 0.94, "threshold": 0.45}""");
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

    // Versions written as a commit leaves them: the request page compares metadata and needs no file contents.
    private async Task AddVersionAsync(ClaimsPrincipal creator, string slug, string metadataJson)
    {
        await using var db = await fixture.Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var projectId = await db.Projects.Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync();
        var artifact = await db.Artifacts.SingleAsync(a => a.ProjectId == projectId && a.Name == "fraud-detector");
        var now = DateTimeOffset.UtcNow;
        var version = new ArtifactVersion
        {
            Id = Guid.NewGuid(),
            ArtifactId = artifact.Id,
            Number = ++artifact.LastVersionNumber,
            CreatedAt = now,
            CreatedByUserId = creator.FindFirstValue(ClaimTypes.NameIdentifier)!,
            MetadataJson = metadataJson,
            FileCount = 1,
            TotalSize = 1024,
            Files = [new ArtifactFile { Path = "model.onnx", Size = 1024, Sha256 = new string('a', 64), MediaType = "application/octet-stream" }],
        };
        db.ArtifactVersions.Add(version);
        artifact.VersionCount++;
        artifact.LatestVersionSize = version.TotalSize;
        artifact.UpdatedAt = now;
        artifact.ConcurrencyStamp = Guid.NewGuid();
        db.ArtifactAliases.RemoveRange(db.ArtifactAliases.Where(a => a.ArtifactId == artifact.Id && a.Name == ArtifactNames.Latest));
        db.ArtifactAliases.Add(new ArtifactAlias { ArtifactId = artifact.Id, Name = ArtifactNames.Latest, VersionId = version.Id, UpdatedAt = now });
        await db.SaveChangesAsync();
    }
}
