using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>What NewArtifactDialog closes with: the artifact it created and the version it uploaded.</summary>
public sealed record NewArtifactResult(string Name, int Version)
{
    /// <summary>Opens the dialog; after a successful upload, goes to the new artifact's page.</summary>
    public static async Task ShowAndOpenAsync(IDialogService dialogs, Microsoft.AspNetCore.Components.NavigationManager navigation, string projectSlug)
    {
        var dialog = await dialogs.ShowAsync<NewArtifactDialog>("New artifact",
            new DialogParameters<NewArtifactDialog> { { d => d.ProjectSlug, projectSlug } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = false });
        if (await dialog.Result is { Canceled: false, Data: NewArtifactResult created })
        {
            navigation.NavigateTo($"p/{Uri.EscapeDataString(projectSlug)}/artifacts/{Uri.EscapeDataString(created.Name)}");
        }
    }
}
