using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Data;
using ArtifactPortal.Web.Features.Sharing;
using ArtifactPortal.Web.Tests.Features.Artifacts;
using Bunit;
using Bunit.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Features.Sharing;

public class CreateShareLinkDialogTests : PortalComponentTestBase
{
    private async Task<IRenderedComponent<ContainerFragment>> OpenAsync()
    {
        var owner = await CreateUserAsync("ada@example.com");
        var data = new ArtifactTestData(Services);
        await data.CreateProjectAsync(PrincipalOf(owner), "vision");
        await data.CreateArtifactAsync(PrincipalOf(owner), "vision", "resnet", ArtifactType.Model);
        await data.AddVersionAsync(PrincipalOf(owner), "vision", "resnet", new Dictionary<string, string> { ["model.onnx"] = "weights" });
        SignIn(owner);
        var cut = RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await cut.InvokeAsync(() => dialogs.ShowAsync<CreateShareLinkDialog>("Share", new DialogParameters<CreateShareLinkDialog>
        {
            { d => d.ProjectSlug, "vision" },
            { d => d.ArtifactName, "resnet" },
            { d => d.VersionNumber, 1 },
        }));
        cut.WaitForElement("[data-testid=create-share-link]");
        return cut;
    }

    [Fact]
    public async Task Create_ShowsTheFullLinkOnceWithCopyAndWarning()
    {
        var cut = await OpenAsync();
        Assert.Empty(cut.FindAll("[data-testid=share-link]"));
        await cut.Find("input[data-testid=share-note]").ChangeAsync(new() { Value = "for ACME" });

        await cut.Find("[data-testid=create-share-link]").ClickAsync(new());

        cut.WaitForElement("[data-testid=share-link]");
        var field = cut.Find("textarea[data-testid=share-link]");
        var link = field.GetAttribute("value") ?? field.TextContent;
        Assert.StartsWith("http://localhost/s/", link, StringComparison.Ordinal);
        var secret = link["http://localhost/s/".Length..];
        Assert.True(LinkSecret.IsWellFormed(secret));
        Assert.Contains("will not be shown again", cut.Find("[data-testid=share-link-warning]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=copy-share-link]"));
        Assert.Empty(cut.FindAll("[data-testid=create-share-link]"));

        // Stored only as its hash, with what the form said.
        await using var db = await Services.GetRequiredService<IPortalDbContextFactory>().CreateDbContextAsync();
        var stored = await db.ShareLinks.SingleAsync();
        Assert.Equal((LinkSecret.Hash(secret), "for ACME", false), (stored.SecretHash, stored.Note, stored.AllowDownload));
        Assert.Equal(TimeSpan.FromDays(7), stored.ExpiresAt - stored.CreatedAt);

        await cut.Find("[data-testid=copy-share-link]").ClickAsync(new());
        var copy = Assert.Single(Context.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(link, copy.Arguments[0]);
    }
}
