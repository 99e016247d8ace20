using System.Security.Claims;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Core.Sharing;
using ArtifactPortal.EndToEndTests.Pages;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace ArtifactPortal.EndToEndTests.Sharing;

[Collection(PortalSuite.Name)]
public sealed class ShareLinkTests(PortalFixture fixture)
{
    [Fact]
    public async Task ShareLink_AnonymousBrowserSeesOnlyTheVersion_UntilTheMaintainerRevokesIt()
    {
        var email = await fixture.CreateUserAsync(PortalFixture.UniqueEmail("share"));
        var owner = await fixture.PrincipalAsync(email);
        var slug = $"secret-lab-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.True((await fixture.Services.GetRequiredService<ProjectService>()
            .CreateAsync(owner, new NewProject("Secret lab", slug, "", ProjectVisibility.Private))).Succeeded);
        await AddVersionAsync(owner, slug);
        var created = await fixture.Services.GetRequiredService<ShareLinkService>()
            .CreateAsync(owner, slug, "cifar10", 1, new NewShareLink(TimeSpan.FromDays(7), AllowDownload: true, "for the reviewers"));
        Assert.True(created.Succeeded, created.ErrorMessage);

        var guestPage = await fixture.NewAnonymousPageAsync();
        var guest = new SharePages(guestPage);
        await guestPage.GotoAsync(new Uri(fixture.BaseUrl, $"s/{created.Value!.Secret}").ToString());
        await Expect(guest.Heading).ToContainTextAsync("cifar10");
        await Expect(guest.Heading).ToContainTextAsync("v1");
        await Expect(guest.DownloadZip).ToBeVisibleAsync();
        await guest.FileLink("data/train.csv").ClickAsync();
        await Expect(guest.Preview).ToContainTextAsync("pixels");
        await Expect(guest.Body).Not.ToContainTextAsync("Secret lab");
        await Expect(guest.Body).Not.ToContainTextAsync(slug);
        await fixture.ScreenshotAsync(guestPage, "share-link-anonymous");

        var maintainerPage = await fixture.NewSignedInPageAsync(email);
        var maintainer = new SharePages(maintainerPage);
        await maintainerPage.GotoAsync(new Uri(fixture.BaseUrl, $"p/{slug}/share-links").ToString());
        await maintainer.WaitForInteractiveAsync();
        await Expect(maintainer.LinkRows).ToHaveCountAsync(1);
        await Expect(maintainer.Status).ToHaveTextAsync("Active");
        await Expect(maintainer.Uses).ToHaveTextAsync("1");
        await fixture.ScreenshotAsync(maintainerPage, "share-links-page");
        await maintainer.RevokeButton.ClickAsync();
        await maintainer.ConfirmRevoke.ClickAsync();
        await Expect(maintainer.Status).ToHaveTextAsync("Revoked");

        await guestPage.ReloadAsync();
        await Expect(guest.Invalid).ToContainTextAsync("This link is no longer valid");
        await Expect(guest.SharedVersion).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(guestPage, "share-link-revoked");

        await guestPage.Context.CloseAsync();
        await maintainerPage.Context.CloseAsync();
    }

    private async Task AddVersionAsync(ClaimsPrincipal owner, string slug)
    {
        Assert.True((await fixture.Services.GetRequiredService<ArtifactService>()
            .CreateAsync(owner, slug, new NewArtifact("cifar10", ArtifactType.Dataset))).Succeeded);
        var uploads = fixture.Services.GetRequiredService<UploadService>();
        var files = new Dictionary<string, byte[]>
        {
            ["data/train.csv"] = "label,pixels\n3,0 0 1\n1,1 1 1\n"u8.ToArray(),
            ["README.md"] = "# CIFAR-10 sample"u8.ToArray(),
        };
        var upload = await uploads.BeginAsync(owner, slug, "cifar10", new BeginUpload([.. files.Select(f => new UploadFileRequest(f.Key, f.Value.Length))]));
        foreach (var file in upload.Files)
        {
            await uploads.PutFileAsync(owner, upload.Id, file.Index, new MemoryStream(files[file.Path]), sha256: null);
        }

        await uploads.CommitAsync(owner, upload.Id);
    }

}
