namespace ArtifactPortal.Web.Features.Projects;

/// <summary>Short relative times for lists: "3 hours ago", "in 6 days".</summary>
public static class TimeText
{
    public static string Ago(DateTimeOffset time, DateTimeOffset now) => Span(now - time) is { } span ? $"{span} ago" : "just now";

    public static string In(DateTimeOffset time, DateTimeOffset now) => Span(time - now) is { } span ? $"in {span}" : "in a moment";

    private static string? Span(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => null,
        { TotalHours: < 1 } => Plural((int)span.TotalMinutes, "minute"),
        { TotalDays: < 1 } => Plural((int)span.TotalHours, "hour"),
        _ => Plural((int)span.TotalDays, "day"),
    };

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
