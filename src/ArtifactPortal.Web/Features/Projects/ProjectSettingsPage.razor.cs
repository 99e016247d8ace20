using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Projects;

public sealed partial class ProjectSettingsPage : IDisposable
{
    private const string QuotaField = nameof(Core.Projects.Project.StorageQuotaBytes);
    private const decimal BytesPerGigabyte = 1_000_000_000m;
    private readonly LoadCancellation _cancellation = new();
    private ProjectShell? _shell;
    private Guid? _loadedFor;
    private string _name = "";
    private string _slug = "";
    private string _description = "";
    private ProjectVisibility _visibility;
    private long? _quotaBytes;
    private decimal? _quotaGigabytes;
    private ProjectStorageUsage? _usage;
    private bool _busy;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ProjectService Projects { get; set; } = default!;

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            var overview = await Projects.GetOverviewAsync((await AuthenticationState).User, Slug, _cancellation.Token);
            (_name, _slug, _description, _visibility) = (overview.Access.Name, overview.Access.Slug, overview.Description, overview.Access.Visibility);
            SetQuota(overview.StorageQuotaBytes);
            _usage = await Artifacts.GetUsageAsync((await AuthenticationState).User, Slug, _cancellation.Token);
            _errors = new Dictionary<string, string>();
            _loadedFor = overview.Access.ProjectId;
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _loadedFor = null;
        }
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorFor(string field) => _errors.GetValueOrDefault(field);

    private string SlugHelp(ProjectAccess access) => _slug.Trim() != access.Slug
        ? $"Links to /p/{access.Slug} will keep working: they lead to the new address."
        : "Lowercase letters, digits and hyphens; used in links.";

    private async Task SaveAsync(ProjectAccess access)
    {
        await RunAsync(async user =>
        {
            var result = await Projects.UpdateSettingsAsync(user, access.Slug, new ProjectSettings(_name, _slug, _description, _visibility), _cancellation.Token);
            _errors = result.Errors;
            if (!result.Succeeded)
            {
                return;
            }

            Snackbar.Add("Settings saved.", Severity.Success);
            if (result.Value!.Slug != access.Slug)
            {
                Navigation.NavigateTo($"p/{result.Value.Slug}/settings", replace: true);
            }
            else
            {
                await _shell!.ReloadAsync();
            }
        });
    }

    private string UsageText() => _usage is null
        ? ""
        : $"{ByteSize.Format(_usage.UsedBytes)} used by {_usage.VersionCount} versions"
            + (_usage.QuotaBytes is { } quota ? $" of {ByteSize.Format(quota)}." : "; no quota applies.");

    private string QuotaText() => _quotaBytes is { } bytes ? ByteSize.Format(bytes) : "the site default";

    private void SetQuota(long? bytes) => (_quotaBytes, _quotaGigabytes) = (bytes, bytes / BytesPerGigabyte);

    private async Task SaveQuotaAsync(ProjectAccess access)
    {
        await RunAsync(async user =>
        {
            var bytes = _quotaGigabytes is { } gigabytes ? (long)decimal.Round(gigabytes * BytesPerGigabyte) : (long?)null;
            var result = await Projects.SetStorageQuotaAsync(user, access.Slug, bytes, _cancellation.Token);
            _errors = result.Errors;
            if (!result.Succeeded)
            {
                return;
            }

            SetQuota(result.Value);
            _usage = await Artifacts.GetUsageAsync(user, access.Slug, _cancellation.Token);
            Snackbar.Add($"Storage quota set to {QuotaText()}.", Severity.Success);
        });
    }

    private async Task SetArchivedAsync(ProjectAccess access, bool archived)
    {
        await RunAsync(async user =>
        {
            if (archived)
            {
                await Projects.ArchiveAsync(user, access.Slug, _cancellation.Token);
            }
            else
            {
                await Projects.UnarchiveAsync(user, access.Slug, _cancellation.Token);
            }

            Snackbar.Add(archived ? $"{access.Name} is archived and read-only." : $"{access.Name} is active again.", Severity.Success);
            await _shell!.ReloadAsync();
        });
    }

    private async Task DeleteAsync(ProjectAccess access)
    {
        var parameters = new DialogParameters<DeleteProjectDialog> { { d => d.Project, access } };
        var dialog = await Dialogs.ShowAsync<DeleteProjectDialog>("Delete project", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Navigation.NavigateTo("");
        }
    }

    /// <summary>Runs a change; the service's refusal (role, archive) becomes a message instead of a broken circuit.</summary>
    private async Task RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task> change)
    {
        _busy = true;
        try
        {
            await change((await AuthenticationState).User);
        }
        catch (PortalAccessDeniedException e)
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
