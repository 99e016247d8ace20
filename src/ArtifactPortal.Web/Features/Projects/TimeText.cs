namespace ArtifactPortal.Web.Features.Projects;

/// <summary>Short relative times for lists: "3 hours ago", "in 6 days".</summary>
public static class TimeText
{
    public static string Ago(DateTimeOffset time, DateTimeOffset now) => Span(now - time) is { } span ? $"{span} ago" : "just now";

    public static string In(DateTimeOffset time, DateTimeOffset now) => Span(time - now) is { } span ? $"in {span}" : "in a moment";

    // Rounded, so a link made a second ago that lasts 7 days reads "in 7 days", not "in 6 days".
    private static string? Span(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => null,
        { TotalMinutes: < 59.5 } => Plural(span.TotalMinutes, "minute"),
        { TotalHours: < 23.5 } => Plural(span.TotalHours, "hour"),
        _ => Plural(span.TotalDays, "day"),
    };

    private static string Plural(double amount, string unit) =>
        (int)Math.Round(amount, MidpointRounding.AwayFromZero) is var count && count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
