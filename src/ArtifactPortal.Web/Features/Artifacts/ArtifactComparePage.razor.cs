using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Projects;
using ArtifactPortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

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

    [Inject]
    private ArtifactService Artifacts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    // The shell raises it when the page opens and after each navigation (other versions picked), with the access it looked up.
    private async Task AccessLoadedAsync(ProjectAccess access)
    {
        var cancellationToken = _cancellation.Next();
        try
        {
            if (_loadedFor != (Slug, Name))
            {
                var all = (await Artifacts.ListVersionsAsync(access, Name, 1, ArtifactService.MaxPageSize, cancellationToken)).Versions;
                _versions = [.. all.Items.Where(v => !v.IsDeleted)];
                _loadedFor = (Slug, Name);
            }

            _to = Parse(To) ?? (_versions!.Count > 0 ? _versions[0].Number : 0);
            _from = Parse(From) ?? _versions!.FirstOrDefault(v => v.Number < _to)?.Number ?? 0;
            _error = null;
            _comparison = null;
            if (_versions!.Count >= 2 || (From is not null && To is not null))
            {
                _comparison = await Artifacts.CompareAsync(access, Name, $"v{_from}", $"v{_to}", cancellationToken);
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
