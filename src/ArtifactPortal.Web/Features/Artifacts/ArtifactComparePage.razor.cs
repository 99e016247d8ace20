using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary><c>compare?from=v1&amp;to=v2</c>; without them, the two newest live versions.</summary>
public sealed partial class ArtifactComparePage : IDisposable
{
    private readonly LoadCancellation _cancellation = new();
    private IReadOnlyList<ArtifactVersionSummary>? _versions;
    private (string, string)? _loadedFor;
    private ArtifactVersionComparison? _comparison;
    private string? _error;
    private int _from;
    private int _to;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required string Name { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var cancellationToken = _cancellation.Next();
        var user = (await AuthenticationState).User;
        try
        {
            if (_loadedFor != (Slug, Name))
            {
                var all = (await Artifacts.ListVersionsAsync(user, Slug, Name, 1, ArtifactService.MaxPageSize, cancellationToken)).Versions;
                _versions = [.. all.Items.Where(v => !v.IsDeleted)];
                _loadedFor = (Slug, Name);
            }

            _to = Parse(To) ?? (_versions!.Count > 0 ? _versions[0].Number : 0);
            _from = Parse(From) ?? _versions!.FirstOrDefault(v => v.Number < _to)?.Number ?? 0;
            _error = null;
            _comparison = null;
            if (_versions!.Count >= 2 || (From is not null && To is not null))
            {
                _comparison = await Artifacts.CompareAsync(user, Slug, Name, $"v{_from}", $"v{_to}", cancellationToken);
            }
        }
        catch (ProjectNotFoundException)
        {
            // The shell shows "not found" or follows a renamed slug.
            _versions = null;
        }
        catch (PortalNotFoundException e) when (_versions is not null)
        {
            _error = $"{e.Message} Pick two versions above.";
        }
        catch (PortalNotFoundException)
        {
            Navigation.NotFound();
        }
    }

    private static int? Parse(string? reference) => reference is null ? null : ArtifactNames.ParseVersionNumber(reference);

    private static string VersionLabel(ArtifactVersionSummary version) =>
        version.Aliases.Count == 0 ? $"v{version.Number}" : $"v{version.Number} ({string.Join(", ", version.Aliases)})";

    private void FromChanged(int from) => Navigation.NavigateTo(ArtifactDisplay.CompareLink(Slug, Name, from, _to), replace: true);

    private void ToChanged(int to) => Navigation.NavigateTo(ArtifactDisplay.CompareLink(Slug, Name, _from, to), replace: true);

    public void Dispose()
    {
        _cancellation.Dispose();
    }
}
