using System.Security.Claims;
using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Analysis;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Api;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Artifacts;

public sealed partial class ArtifactPage : IDisposable
{
    public const int VersionPageSize = 20;

    private readonly LoadCancellation _cancellation = new();
    private ProjectAccess? _access;
    private ArtifactDetails? _details;
    private ArtifactCover? _cover;
    private PagedList<ArtifactVersionSummary>? _versions;
    private (string, string)? _loadedFor;
    private int _page = 1;
    private bool _editing;
    private bool _busy;
    private string _tagsText = "";
    private string _descriptionText = "";
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required string Name { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private AnalysisService Analysis { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private string Identifier => $"{Slug}/{_details?.Summary.Name ?? Name}:{ArtifactNames.Latest}";

    private string CompareHref => _versions?.Items.Where(v => !v.IsDeleted).Take(2).ToList() is [var newest, var previous]
        ? ArtifactDisplay.CompareLink(Slug, _details!.Summary.Name, previous.Number, newest.Number)
        : $"{ArtifactDisplay.ArtifactLink(Slug, Name)}/compare";

    private string UploadSnippet => $$"""
        # pip install requests; ARTIFACTPORTAL_TOKEN needs the write scope
        import os, requests
        api = "{{Navigation.ToAbsoluteUri(ApiEndpoints.Prefix.TrimStart('/'))}}"
        auth = {"Authorization": f"Bearer {os.environ['ARTIFACTPORTAL_TOKEN']}"}
        files = ["model.pt"]
        upload = requests.post(f"{api}/projects/{{Slug}}/artifacts/{{_details?.Summary.Name ?? Name}}/uploads", headers=auth,
                               json={"files": [{"path": p, "size": os.path.getsize(p)} for p in files]}).json()
        for f in upload["files"]:
            with open(f["path"], "rb") as body:
                requests.put(f"{api}/uploads/{upload['id']}/files/{f['index']}", headers=auth, data=body).raise_for_status()
        print(requests.post(f"{api}/uploads/{upload['id']}/commit", headers=auth).json()["identifier"])
        """;

    protected override void OnParametersSet()
    {
        // Another artifact: start at its newest versions, not editing. The shell raises AccessLoaded next, which loads it.
        if (_loadedFor != (Slug, Name))
        {
            _page = 1;
            _editing = false;
        }
    }

    // The shell raises it when the page opens and after each navigation, with the access it looked up.
    private async Task AccessLoadedAsync(ProjectAccess access)
    {
        _access = access;
        await ReloadAsync();
    }

    /// <summary>Loads the artifact and the current page of versions; the uploader calls it after committing a version.</summary>
    private Task VersionUploadedAsync(int version) => ReloadAsync();

    public async Task ReloadAsync()
    {
        if (_access is not { } access)
        {
            return;
        }

        var cancellationToken = _cancellation.Next();
        try
        {
            _details = await Artifacts.GetAsync(access, Name, cancellationToken);
            _cover = (await Analysis.GetCoversAsync(access, [_details.Summary.Id], cancellationToken)).GetValueOrDefault(_details.Summary.Id);
            _versions = (await Artifacts.ListVersionsAsync(access, Name, _page, VersionPageSize, cancellationToken)).Versions;
            _loadedFor = (Slug, Name);
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _details = null;
        }
        catch (PortalNotFoundException)
        {
            _details = null;
            Navigation.NotFound();
        }
    }

    private async Task PageChangedAsync(int page)
    {
        _page = page;
        await ReloadAsync();
    }

    private void StartEditing()
    {
        _tagsText = string.Join(", ", _details!.Summary.Tags);
        _descriptionText = _details.Summary.Description;
        _errors = new Dictionary<string, string>();
        _editing = true;
    }

    private async Task SaveAsync()
    {
        var tags = _tagsText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        await RunAsync(async user =>
        {
            var result = await Artifacts.UpdateAsync(user, Slug, Name, new ArtifactChanges(_descriptionText, tags), _cancellation.Token);
            _errors = result.Errors;
            if (result.Succeeded)
            {
                _editing = false;
                Snackbar.Add("Saved.", Severity.Success);
            }
        });
    }

    private async Task SetAliasAsync(ArtifactVersionSummary version)
    {
        var parameters = new DialogParameters<SetAliasDialog>
        {
            { d => d.Slug, Slug },
            { d => d.ArtifactName, _details!.Summary.Name },
            { d => d.VersionNumber, version.Number },
            { d => d.Aliases, _details.Aliases },
        };
        var dialog = await Dialogs.ShowAsync<SetAliasDialog>($"Alias for v{version.Number}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            await ReloadAsync();
        }
    }

    private async Task RemoveAliasAsync((ArtifactVersionSummary Version, string Alias) target)
    {
        await RunAsync(async user =>
        {
            await Artifacts.RemoveAliasAsync(user, Slug, Name, target.Alias, _cancellation.Token);
            Snackbar.Add($"Removed the alias {target.Alias} from v{target.Version.Number}.", Severity.Success);
        });
    }

    private async Task DeleteVersionAsync(ArtifactVersionSummary version)
    {
        var parameters = new DialogParameters<DeleteVersionDialog>
        {
            { d => d.Slug, Slug },
            { d => d.ArtifactName, _details!.Summary.Name },
            { d => d.Version, version },
        };
        var dialog = await Dialogs.ShowAsync<DeleteVersionDialog>($"Delete v{version.Number}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            await ReloadAsync();
        }
    }

    private async Task CopyIdentifierAsync()
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", Identifier);
        Snackbar.Add($"Copied {Identifier}.", Severity.Info);
    }

    private async Task CopyLinkAsync()
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", Navigation.ToAbsoluteUri(ArtifactDisplay.ArtifactLink(Slug, Name)).ToString());
        Snackbar.Add("Link copied to the clipboard.", Severity.Info);
    }

    /// <summary>Runs a change, then reloads; the service's refusals become messages instead of a broken circuit.</summary>
    private async Task RunAsync(Func<ClaimsPrincipal, Task> change)
    {
        _busy = true;
        try
        {
            await change((await AuthenticationState).User);
            await ReloadAsync();
        }
        catch (Exception e) when (e is PortalAccessDeniedException or PortalRequestException or PortalConflictException or PortalNotFoundException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        catch (ProjectNotFoundException)
        {
            Snackbar.Add("The project no longer exists.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
