using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ArtifactPortal.Core.Audit;
using ArtifactPortal.Core.Notifications;
using ArtifactPortal.Infrastructure.Data;
using ArtifactPortal.IntegrationTests.Support;
using ArtifactPortal.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace ArtifactPortal.IntegrationTests.Models;

[Collection(PortalCollectionDefinition.Name)]
public sealed class PromotionWorkflowTests(PortalFixture fixture)
{
    [Theory, DatabaseProviders]
    public async Task Approve_ByMaintainer_MovesProductionAndRecordsTheTimeline(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));

        var first = await s.RequestOkAsync(s.Editor, 1);
        Assert.Equal("open", first.Request.Status);
        Assert.Null(await s.HolderAsync());
        using (var approve = await s.ReviewAsync(s.Maintainer, first.Request.Number))
        {
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        }

        var second = await s.RequestOkAsync(s.Editor, 2);
        Assert.Equal(1, second.CurrentHolderVersion);
        using (var approve = await s.ReviewAsync(s.Maintainer, second.Request.Number))
        {
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        }

        Assert.Equal("approved", (await s.GetAsync(second.Request.Number)).Request.Status);
        Assert.Equal(2, await s.HolderAsync());
        var production = await s.Owner.GetFromJsonAsync<ApiVersion>($"{s.ProjectUrl}/models/{PromotionScenario.Model}/aliases/production", ArtifactScenario.Json);
        var file = Assert.Single(production!.Files!);
        using var download = await s.Owner.GetAsync(file.DownloadUrl);
        Assert.Equal("weights 2", await download.Content.ReadAsStringAsync());
        var history = await s.HistoryAsync();
        Assert.Equal([(2, (int?)1, (int?)second.Request.Number), (1, null, first.Request.Number)],
            history.Select(h => (h.Version!.Value, h.PreviousVersion, h.Request)).ToList());
        Assert.Contains(await s.Portal.AuditAsync(s.Project.Id), e => e.Action == AuditActions.PromotionApproved && e.Target.Contains("v2 → production", StringComparison.Ordinal));
    }

    [Theory, DatabaseProviders]
    public async Task Review_ByRequesterViewerOrEditor_IsForbiddenAndNothingMoves(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var request = await s.RequestOkAsync(s.Editor, 1);

        using var self = await s.ReviewAsync(s.Editor, request.Request.Number);
        using var viewer = await s.ReviewAsync(s.Viewer, request.Request.Number);
        using var editor = await s.ReviewAsync(s.SecondEditor, request.Request.Number);

        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Contains("someone else must review", await self.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editor.StatusCode);
        Assert.Contains("Maintainers", await editor.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Null(await s.HolderAsync());
        Assert.Empty((await s.GetAsync(request.Request.Number)).Reviews);
    }

    [Theory, DatabaseProviders]
    public async Task ProtectedAlias_ThroughThePlainAliasApi_IsRefusedButFreeAliasesAndDatasetsStayFree(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));

        using var production = await s.Owner.PutAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(s.Project.Slug)}/{PromotionScenario.Model}/aliases/production", new ApiSetAlias(1));
        using var best = await s.Owner.PutAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(s.Project.Slug)}/{PromotionScenario.Model}/aliases/best", new ApiSetAlias(1));
        await s.Owner.CreateArtifactAsync(s.Project.Slug, "images");
        await s.Owner.UploadVersionAsync(s.Project.Slug, "images", new Dictionary<string, byte[]> { ["a.txt"] = ArtifactScenario.Text("a") });
        using var dataset = await s.Owner.PutAsJsonAsync($"{ArtifactScenario.ArtifactsUrl(s.Project.Slug)}/images/aliases/production", new ApiSetAlias(1));

        Assert.Equal(HttpStatusCode.Conflict, production.StatusCode);
        Assert.Contains("protected alias", await production.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, best.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dataset.StatusCode);
        Assert.Null(await s.HolderAsync());
    }

    [Theory, DatabaseProviders]
    public async Task Review_WithdrawnRequest_IsRefusedAndTheDeletedOrHoldingVersionIsGuarded(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var withdrawn = await s.RequestOkAsync(s.Editor, 1);
        using (var withdraw = await s.Editor.PostAsync($"{s.ProjectUrl}/promotions/{withdrawn.Request.Number}/withdraw", null))
        {
            Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        }

        using var late = await s.ReviewAsync(s.Maintainer, withdrawn.Request.Number);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("withdrawn", await late.ProblemDetailAsync(), StringComparison.Ordinal);

        var pending = await s.RequestOkAsync(s.Editor, 3);
        using (var delete = await s.Owner.DeleteAsync($"{ArtifactScenario.ArtifactsUrl(s.Project.Slug)}/{PromotionScenario.Model}/versions/v3?reason=bad+weights"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var deletedReview = await s.ReviewAsync(s.Maintainer, pending.Request.Number);
        Assert.Equal(HttpStatusCode.Conflict, deletedReview.StatusCode);
        using var deletedRequest = await s.RequestAsync(s.Editor, 3);
        Assert.Equal(HttpStatusCode.Conflict, deletedRequest.StatusCode);
        Assert.Contains("deleted", await deletedRequest.ProblemDetailAsync(), StringComparison.Ordinal);

        var granted = await s.RequestOkAsync(s.Editor, 2);
        (await s.ReviewAsync(s.Maintainer, granted.Request.Number)).Dispose();
        using var deleteHolder = await s.Owner.DeleteAsync($"{ArtifactScenario.ArtifactsUrl(s.Project.Slug)}/{PromotionScenario.Model}/versions/v2?reason=oops");
        Assert.Equal(HttpStatusCode.Conflict, deleteHolder.StatusCode);
        Assert.Equal(2, await s.HolderAsync());
    }

    [Theory, DatabaseProviders]
    public async Task CompetingRequests_TheSecondGoesStaleAndIsReviewedAgainAfterReopening(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var a = await s.RequestOkAsync(s.Editor, 1);
        var b = await s.RequestOkAsync(s.SecondEditor, 2);

        (await s.ReviewAsync(s.Maintainer, a.Request.Number)).Dispose();
        var stale = await s.GetAsync(b.Request.Number);
        using var refused = await s.ReviewAsync(s.SecondMaintainer, b.Request.Number);
        using var reopen = await s.SecondEditor.PostAsync($"{s.ProjectUrl}/promotions/{b.Request.Number}/reopen", null);
        using var approved = await s.ReviewAsync(s.SecondMaintainer, b.Request.Number);

        Assert.Equal("stale", stale.Request.Status);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("stale", await refused.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reopen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(2, await s.HolderAsync());
        Assert.Equal(1, (await s.GetAsync(b.Request.Number)).BaseVersion);
    }

    [Theory, DatabaseProviders]
    public async Task TwoApprovalsAtTheSameMoment_MoveTheAliasExactlyOnce(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var request = await s.RequestOkAsync(s.Editor, 1);

        var answers = await Task.WhenAll(s.ReviewAsync(s.Maintainer, request.Request.Number), s.ReviewAsync(s.SecondMaintainer, request.Request.Number));

        // The second reviewer either still approved (and found the alias moved) or found the request already approved.
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Single(await s.HistoryAsync());
        Assert.Equal(1, await s.HolderAsync());
        Assert.Equal("approved", (await s.GetAsync(request.Request.Number)).Request.Status);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Theory, DatabaseProviders]
    public async Task CompetingRequestsApprovedAtTheSameMoment_ExactlyOneWinsTheOtherGoesStale(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var a = await s.RequestOkAsync(s.Editor, 1);
        var b = await s.RequestOkAsync(s.SecondEditor, 2);

        var answers = await Task.WhenAll(s.ReviewAsync(s.Maintainer, a.Request.Number), s.ReviewAsync(s.SecondMaintainer, b.Request.Number));

        var statuses = new[] { (await s.GetAsync(a.Request.Number)).Request.Status, (await s.GetAsync(b.Request.Number)).Request.Status };
        Assert.Equal(["approved", "stale"], statuses.Order().ToArray());
        var change = Assert.Single(await s.HistoryAsync());
        Assert.Equal(change.Version, await s.HolderAsync());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Theory, DatabaseProviders]
    public async Task Policy_TwoApprovalsAndAMetricCheck_AreEnforced(DatabaseProvider provider)
    {
        var metadata = new Dictionary<string, JsonElement> { ["accuracy"] = JsonSerializer.SerializeToElement(0.85) };
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider), metadata);
        using (var policy = await s.Maintainer.PutAsJsonAsync($"{s.ProjectUrl}/protected-aliases/production",
                   new ApiProtectedAliasPolicy(2, "maintainer", null, null, [new ApiPromotionCheck("metricAtLeast", "accuracy", 0.8)])))
        {
            Assert.True(policy.StatusCode == HttpStatusCode.NoContent, await policy.Content.ReadAsStringAsync());
        }

        var request = await s.RequestOkAsync(s.Editor, 1);
        Assert.Equal(2, request.Request.RequiredApprovals);
        Assert.True(Assert.Single(request.Checks).Passed);
        (await s.ReviewAsync(s.Maintainer, request.Request.Number)).Dispose();
        Assert.Null(await s.HolderAsync());
        (await s.ReviewAsync(s.Owner, request.Request.Number)).Dispose();
        Assert.Equal(1, await s.HolderAsync());

        using (var stricter = await s.Maintainer.PutAsJsonAsync($"{s.ProjectUrl}/protected-aliases/staging",
                   new ApiProtectedAliasPolicy(1, null, null, null, [new ApiPromotionCheck("metricAtLeast", "accuracy", 0.9)])))
        {
            Assert.Equal(HttpStatusCode.NoContent, stricter.StatusCode);
        }

        var failing = await s.RequestOkAsync(s.Editor, 2, "staging");
        var check = Assert.Single(failing.Checks);
        Assert.False(check.Passed);
        Assert.Equal("accuracy = 0.85", check.Detail);
        using var refused = await s.ReviewAsync(s.Maintainer, failing.Request.Number);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("accuracy ≥ 0.9", await refused.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Null(await s.HolderAsync("staging"));
    }

    [Theory, DatabaseProviders]
    public async Task Notifications_ReviewersHearOfRequestsAndTheRequesterOfTheOutcome(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var request = await s.RequestOkAsync(s.Editor, 1);

        var inbox = await s.Maintainer.GetFromJsonAsync<List<ApiPromotion>>($"{ApiEndpoints.Prefix}/me/reviews", ArtifactScenario.Json);
        var requesterInbox = await s.Editor.GetFromJsonAsync<List<ApiPromotion>>($"{ApiEndpoints.Prefix}/me/reviews", ArtifactScenario.Json);
        var maintainerBell = await s.Maintainer.GetFromJsonAsync<List<NotificationView>>($"{ApiEndpoints.Prefix}/me/notifications", ArtifactScenario.Json);
        (await s.ReviewAsync(s.Maintainer, request.Request.Number)).Dispose();
        var editorBell = await s.Editor.GetFromJsonAsync<List<NotificationView>>($"{ApiEndpoints.Prefix}/me/notifications", ArtifactScenario.Json);

        Assert.Contains(inbox!, r => r.Number == request.Request.Number && r.Url == request.Request.Url);
        Assert.DoesNotContain(requesterInbox!, r => r.Number == request.Request.Number && r.Url == request.Request.Url);
        Assert.Contains(maintainerBell!, n => n.Kind == PortalEvents.PromotionRequested && n.Url == request.Request.Url && !n.Read);
        Assert.Contains(editorBell!, n => n.Kind == PortalEvents.PromotionApproved && n.Title.Contains("Promoted", StringComparison.Ordinal));
        using (var read = await s.Editor.PostAsync($"{ApiEndpoints.Prefix}/me/notifications/read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }

        var after = await s.Editor.GetFromJsonAsync<List<NotificationView>>($"{ApiEndpoints.Prefix}/me/notifications", ArtifactScenario.Json);
        Assert.All(after!, n => Assert.True(n.Read));
        var unreadForMaintainer = await s.Portal.QueryAsync(db => db.Notifications.CountAsync(n => n.UserId == s.MaintainerUser.Id && n.ReadAt == null));
        Assert.True(unreadForMaintainer > 0, "marking one person's notifications read must leave the others' alone");
    }

    [Theory, DatabaseProviders]
    public async Task Override_ByOwnerWithReason_MovesTheAliasAndMarksOpenRequestsStale_OthersAreRefused(DatabaseProvider provider)
    {
        await using var s = await PromotionScenario.CreateAsync(await fixture.SharedPortalAsync(provider));
        var open = await s.RequestOkAsync(s.Editor, 1);
        var url = $"{s.ProjectUrl}/models/{PromotionScenario.Model}/aliases/production/override";

        using var maintainer = await s.Maintainer.PostAsJsonAsync(url, new ApiOverride(3, "hotfix"));
        using var noReason = await s.Owner.PostAsJsonAsync(url, new ApiOverride(3, " "));
        using var owner = await s.Owner.PostAsJsonAsync(url, new ApiOverride(3, "v2 crashes in production; rolling forward"));

        Assert.Equal(HttpStatusCode.Forbidden, maintainer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, owner.StatusCode);
        Assert.Equal(3, await s.HolderAsync());
        Assert.Equal("v2 crashes in production; rolling forward", Assert.Single(await s.HistoryAsync()).OverrideReason);
        Assert.Equal("stale", (await s.GetAsync(open.Request.Number)).Request.Status);
        Assert.Contains(await s.Portal.AuditAsync(s.Project.Id), e => e.Action == AuditActions.ProtectedAliasOverridden);
    }
}
