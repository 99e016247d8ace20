using ArtifactPortal.Core.Accounts;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Core.Projects;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Models;

/// <summary>Protects an alias or edits its policy; the service checks everything again, this only catches the obvious early.</summary>
public sealed partial class ProtectedAliasDialog
{
    private const string NameField = "name";
    private const string ApprovalsField = "approvals";
    private const string ReviewersField = "reviewers";

    private string _name = "";
    private int? _holders;
    private int _approvals = 1;
    private bool _named;
    private ProjectRole _role = ProjectRole.Maintainer;
    private string _users = "";
    private string _teams = "";
    private List<CheckRow> _checks = [];
    private Dictionary<string, string> _errors = [];
    private string? _error;
    private bool _saving;

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ProtectedAliasService ProtectedAliases { get; set; } = default!;

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    /// <summary>The policy to edit; null to protect a new alias.</summary>
    [Parameter]
    public ProtectedAliasPolicy? Policy { get; set; }

    [Parameter]
    public IReadOnlyList<string> ExistingNames { get; set; } = [];

    protected override void OnInitialized()
    {
        if (Policy is not { } policy)
        {
            return;
        }

        _name = policy.Name;
        _approvals = policy.RequiredApprovals;
        _role = policy.ReviewerRole;
        _named = policy.ReviewerUserNames.Count > 0 || policy.ReviewerTeams.Count > 0;
        _users = string.Join(", ", policy.ReviewerUserNames);
        _teams = string.Join(", ", policy.ReviewerTeams);
        _checks = [.. policy.Checks.Select(c => new CheckRow { Kind = c.Kind, Metric = c.MetricKey, Threshold = c.Threshold })];
    }

    private static string CheckField(int index, string part) => $"check{index}.{part}";

    private string NameHelp() => _holders switch
    {
        null or 0 => "Lower case, e.g. canary. Models that already hold it keep their version.",
        1 => "One model holds it now and keeps its version; from then on it moves only through approved requests.",
        var n => $"{n} models hold it now and keep their versions; from then on it moves only through approved requests.",
    };

    private async Task NameChangedAsync(string value)
    {
        _name = value;
        _errors.Remove(NameField);
        var name = value.Trim().ToLowerInvariant();
        _holders = ArtifactNames.AliasError(name) is null
            ? await ProtectedAliases.CountModelsHoldingAsync((await AuthenticationState).User, Slug, name)
            : null;
    }

    private static List<string> Split(string text) =>
        [.. text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        var name = _name.Trim().ToLowerInvariant();
        if (Policy is null)
        {
            if (name.Length == 0)
            {
                errors[NameField] = "Name the alias to protect.";
            }
            else if (ExistingNames.Contains(name, StringComparer.Ordinal))
            {
                errors[NameField] = $"'{name}' is already protected; edit its policy instead.";
            }
            else if (name == ArtifactNames.Latest)
            {
                errors[NameField] = "'latest' moves with every commit and cannot be protected.";
            }
            else if (ArtifactNames.AliasError(name) is { } aliasError)
            {
                errors[NameField] = aliasError;
            }
        }

        if (_approvals is < 1 or > ProtectedAliasService.MaxApprovals)
        {
            errors[ApprovalsField] = $"Between 1 and {ProtectedAliasService.MaxApprovals}.";
        }

        if (_named && Split(_users).Count == 0 && Split(_teams).Count == 0)
        {
            errors[ReviewersField] = "Name at least one person or team, or let members with a role approve.";
        }

        for (var i = 0; i < _checks.Count; i++)
        {
            if (_checks[i].Kind == PromotionCheckKind.TrainingDataStatisticsSucceeded)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(_checks[i].Metric))
            {
                errors[CheckField(i, "metric")] = "Which metric?";
            }

            if (_checks[i].Threshold is not { } threshold || !double.IsFinite(threshold))
            {
                errors[CheckField(i, "threshold")] = "A number.";
            }
        }

        return errors;
    }

    private async Task SaveAsync()
    {
        _error = null;
        _errors = Validate();
        if (_errors.Count > 0)
        {
            return;
        }

        _saving = true;
        try
        {
            var name = _name.Trim().ToLowerInvariant();
            var input = new ProtectedAliasInput(
                name,
                _approvals,
                _role,
                _named ? Split(_users) : null,
                _named ? Split(_teams) : null,
                [.. _checks.Select(c => new PromotionCheckSpec(c.Kind, c.Metric?.Trim(), c.Threshold))]);
            await ProtectedAliases.SetAsync((await AuthenticationState).User, Slug, input);
            MudDialog.Close(DialogResult.Ok(name));
        }
        catch (Exception e) when (e is PortalRequestException or PortalAccessDeniedException)
        {
            _error = e.Message;
        }
        finally
        {
            _saving = false;
        }
    }

    private sealed class CheckRow
    {
        public PromotionCheckKind Kind { get; set; } = PromotionCheckKind.MetricAtLeast;

        public string? Metric { get; set; }

        public double? Threshold { get; set; }
    }
}
