using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ArtifactPortal.Core.Artifacts;
using ArtifactPortal.Core.Common;
using ArtifactPortal.Core.Models;
using ArtifactPortal.Web.Features.Artifacts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Models;

public sealed partial class PromotionRequestPage
{
    private PromotionComparisonView? _view;
    private string? _error;
    private string _comment = "";
    private bool _busy;
    private ClaimsPrincipal _user = new();

    [Parameter, EditorRequired]
    public required string Slug { get; set; }

    [Parameter, EditorRequired]
    public required int Number { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private PromotionComparison Comparison { get; set; } = default!;

    [Inject]
    private PromotionService Promotions { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private sealed record CompareRow(string Label, string Candidate, string Holder, bool Differs);

    private sealed record CompareSection(string Title, IReadOnlyList<CompareRow> Rows);

    private sealed record ThreadEntry(string Author, string Body, DateTimeOffset At, ReviewDecision? Decision, bool Superseded);

    protected override async Task OnParametersSetAsync()
    {
        _user = (await AuthenticationState).User;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _view = await Comparison.GetAsync(_user, Slug, Number);
        }
        catch (PortalNotFoundException e)
        {
            _view = null;
            _error = e.Message;
        }
        catch (Exception e) when (ModelDisplay.UserMessage(e) is not null)
        {
            _view = null; // The shell tells people who cannot see the project.
        }
    }

    private async Task ReviewAsync(ReviewDecision decision)
    {
        var parameters = new DialogParameters<ReviewDialog>
        {
            { d => d.Action, DecisionText(decision) },
            { d => d.Color, DecisionColor(decision) },
        };
        var dialog = await Dialogs.ShowAsync<ReviewDialog>($"{DecisionText(decision)} request #{Number}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: string comment })
        {
            await ActAsync(() => Promotions.ReviewAsync(_user, Slug, Number, new PromotionReviewInput(decision, comment)),
                decision == ReviewDecision.Approve ? "Approved." : "Review recorded.");
        }
    }

    private Task<bool> WithdrawAsync() => ActAsync(() => Promotions.WithdrawAsync(_user, Slug, Number), "Request withdrawn.");

    private Task<bool> ReopenAsync() => ActAsync(() => Promotions.ReopenAsync(_user, Slug, Number), "Request re-opened for review.");

    private async Task CommentAsync()
    {
        if (await ActAsync(() => Promotions.CommentAsync(_user, Slug, Number, _comment), "Comment added."))
        {
            _comment = "";
        }
    }

    /// <summary>Runs an action, reports refusals and conflicts (e.g. the request went stale) and reloads the request either way.</summary>
    private async Task<bool> ActAsync(Func<Task<PromotionRequestDetails>> action, string done)
    {
        _busy = true;
        var succeeded = false;
        try
        {
            await action();
            Snackbar.Add(done, Severity.Success);
            succeeded = true;
        }
        catch (Exception e) when (ModelDisplay.UserMessage(e) is { } message)
        {
            Snackbar.Add(message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
        return succeeded;
    }

    private static string DecisionText(ReviewDecision decision) => decision switch
    {
        ReviewDecision.Approve => "Approve",
        ReviewDecision.Reject => "Reject",
        _ => "Request changes",
    };

    private static Color DecisionColor(ReviewDecision decision) => decision switch
    {
        ReviewDecision.Approve => Color.Success,
        ReviewDecision.Reject => Color.Error,
        _ => Color.Warning,
    };

    private List<ThreadEntry> Thread() =>
    [
        .. _view!.Request.Reviews.Select(r => new ThreadEntry(r.Reviewer, r.Comment, r.CreatedAt, r.Decision, r.Superseded))
            .Concat(_view.Request.Comments.Select(c => new ThreadEntry(c.Author, c.Body, c.CreatedAt, null, false)))
            .OrderBy(e => e.At),
    ];

    private List<CompareSection> Sections()
    {
        var candidate = _view!.Candidate;
        var holder = _view.Holder;
        var sections = new List<CompareSection>
        {
            new("Upload", [
                Row("Version", c => $"v{c.Version.Version.Number}", candidate, holder, highlight: false),
                Row("Created by", c => c.Version.Version.CreatedBy, candidate, holder),
                Row("Created", c => ArtifactDisplay.ExactTime(c.Version.Version.CreatedAt), candidate, holder, highlight: false),
                Row("Size", c => ByteSize.Format(c.Version.Version.TotalSize), candidate, holder),
                Row("Files", c => c.Version.Version.FileCount.ToString(CultureInfo.InvariantCulture), candidate, holder),
            ]),
            new("Metadata", Keyed(candidate.Version.Metadata, holder?.Version.Metadata, Json)),
        };
        if (candidate.Run is not null || holder?.Run is not null)
        {
            sections.Add(new("Run", [Row("Produced by run", c => c.Run is { } r ? $"#{r.Number} {r.Name}" : "—", candidate, holder, highlight: false)]));
            sections.Add(new("Metrics (last value)", Keyed(candidate.Run?.Metrics ?? Empty<double?>(), holder?.Run?.Metrics, FormatMetric)));
            sections.Add(new("Parameters", Keyed(candidate.Run?.Params ?? Empty<string>(), holder?.Run?.Params, p => p)));
            sections.Add(new("Training data", [
                Row("Inputs", c => c.Run is { TrainingData.Count: > 0 } r ? string.Join(", ", r.TrainingData) : "none recorded", candidate, holder),
            ]));
        }

        return [.. sections.Where(s => s.Rows.Count > 0)];
    }

    private static CompareRow Row(string label, Func<ComparedVersion, string> value, ComparedVersion candidate, ComparedVersion? holder, bool highlight = true)
    {
        var left = value(candidate);
        var right = holder is null ? "—" : value(holder);
        return new CompareRow(label, left, right, highlight && holder is not null && left != right);
    }

    private static List<CompareRow> Keyed<T>(IReadOnlyDictionary<string, T> candidate, IReadOnlyDictionary<string, T>? holder, Func<T, string> format) =>
    [
        .. candidate.Keys.Union(holder?.Keys ?? []).Order(StringComparer.Ordinal).Select(key =>
        {
            var left = candidate.TryGetValue(key, out var c) ? format(c) : "—";
            var right = holder is not null && holder.TryGetValue(key, out var h) ? format(h) : "—";
            return new CompareRow(key, left, right, holder is not null && left != right);
        }),
    ];

    private static Dictionary<string, T> Empty<T>() => [];

    private static string Json(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();

    private static string FormatMetric(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "—";
}
