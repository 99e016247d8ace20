using System.Globalization;
using ArtifactPortal.Core.Runs;
using MudBlazor;

namespace ArtifactPortal.Web.Features.Runs;

/// <summary>How the run pages show statuses, durations, values and links, in one place so the pages agree.</summary>
public static class RunDisplay
{
    /// <summary>How often a page showing a running run reloads it.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(3);

    public static string ListLink(string slug) => $"p/{Uri.EscapeDataString(slug)}/runs";

    public static string RunLink(string slug, int number) => $"{ListLink(slug)}/{number}";

    public static string CompareLink(string slug, IEnumerable<int> numbers) =>
        $"{ListLink(slug)}/compare?runs={string.Join(',', numbers.Order())}";

    public static string Label(RunStatus status) => status.ToString().ToLowerInvariant();

    public static Color Color(RunStatus status) => status switch
    {
        RunStatus.Running => MudBlazor.Color.Info,
        RunStatus.Finished => MudBlazor.Color.Success,
        RunStatus.Failed => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Warning,
    };

    public static string Icon(RunStatus status) => status switch
    {
        RunStatus.Running => Icons.Material.Outlined.PlayCircle,
        RunStatus.Finished => Icons.Material.Outlined.CheckCircle,
        RunStatus.Failed => Icons.Material.Outlined.Error,
        _ => Icons.Material.Outlined.Cancel,
    };

    /// <summary>"45 s", "3 min 12 s", "2 h 05 min", "3 d 4 h".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 0 } => "0 s",
        { TotalMinutes: < 1 } => $"{(int)span.TotalSeconds} s",
        { TotalHours: < 1 } => $"{span.Minutes} min {span.Seconds:00} s",
        { TotalDays: < 1 } => $"{span.Hours} h {span.Minutes:00} min",
        _ => $"{(int)span.TotalDays} d {span.Hours} h",
    };

    /// <summary>Six significant digits; NaN and infinities by name; a dash for no value.</summary>
    public static string Value(double? value) => value switch
    {
        null => "–",
        double.NaN => "NaN",
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        { } v => v.ToString("G6", CultureInfo.InvariantCulture),
    };
}
