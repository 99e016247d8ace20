using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Infrastructure.Identity;
using ArtifactPortal.Web.Features.Artifacts;
using Bunit;
using Bunit.Rendering;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ArtifactPortal.Web.Tests.Features.Artifacts;

/// <summary>The form part of the dialog; the upload itself is uploader.js's (end-to-end tests) and ArtifactUploader's.</summary>
public class NewArtifactDialogTests : PortalComponentTestBase
{
    private BunitJSModuleInterop _uploaderModule = default!;
    private PortalUser _user = default!;

    private async Task<IRenderedComponent<ContainerFragment>> OpenAsync()
    {
        _user = await CreateUserAsync("ada@example.com");
        await Services.GetRequiredService<ProjectService>()
            .CreateAsync(PrincipalOf(_user), new NewProject("Vision", "vision", "", ProjectVisibility.Private));
        SignIn(_user);
        var module = Context.JSInterop.SetupModule("./" + ArtifactUploader.ModulePath);
        _uploaderModule = module.SetupModule("createUploader", _ => true);
        _uploaderModule.Setup<bool>("start", _ => true).SetResult(true);
        var cut = RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await cut.InvokeAsync(() => dialogs.ShowAsync<NewArtifactDialog>(
            "New artifact", new DialogParameters<NewArtifactDialog> { { d => d.ProjectSlug, "vision" } }));
        cut.WaitForElement("[data-testid=create-artifact]");
        return cut;
    }

    private static Task SelectFilesAsync(IRenderedComponent<ContainerFragment> cut)
    {
        var uploader = cut.FindComponent<ArtifactUploader>();
        return cut.InvokeAsync(() => uploader.Instance.OnFilesSelectedAsync([new SelectedUploadFile(0, "train.csv", 12)], reset: true, complete: true));
    }

    [Fact]
    public async Task Create_NoFiles_AsksForTheFilesAndCreatesNothing()
    {
        var cut = await OpenAsync();
        await cut.Find("input[data-testid=artifact-name]").ChangeAsync(new() { Value = "cifar" });

        await cut.Find("[data-testid=create-artifact]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Add the files of the first version", cut.Find("[data-testid=new-artifact-error]").TextContent, StringComparison.Ordinal));
        _uploaderModule.VerifyNotInvoke("start");
    }

    [Fact]
    public async Task Create_BadName_ShowsTheServiceErrorNextToName()
    {
        var cut = await OpenAsync();
        await SelectFilesAsync(cut);
        await cut.Find("input[data-testid=artifact-name]").ChangeAsync(new() { Value = "../cifar" });

        await cut.Find("[data-testid=create-artifact]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Use letters, digits, '.', '_' and '-'", cut.Markup, StringComparison.Ordinal));
        _uploaderModule.VerifyNotInvoke("start");
    }

    [Fact]
    public async Task Create_ValidForm_CreatesArtifactAndStartsTheUpload()
    {
        var cut = await OpenAsync();
        await SelectFilesAsync(cut);
        await cut.Find("input[data-testid=artifact-name]").ChangeAsync(new() { Value = "cifar" });
        await cut.Find("input[data-testid=artifact-tags]").ChangeAsync(new() { Value = "images, sample" });

        await cut.Find("[data-testid=create-artifact]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Upload", cut.Find("[data-testid=create-artifact]").TextContent.Trim()));
        var start = Assert.Single(_uploaderModule.Invocations["start"]);
        Assert.Equal(["vision", "cifar"], start.Arguments.Take(2));
        var artifact = await Services.GetRequiredService<ArtifactService>().GetAsync(PrincipalOf(_user), "vision", "cifar");
        Assert.Equal(ArtifactType.Dataset, artifact.Summary.Type);
        Assert.Equal(["images", "sample"], artifact.Summary.Tags);
    }
}
