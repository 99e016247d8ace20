namespace ArtifactPortal.Web.Features.Sharing;

/// <summary>The addresses behind a share link, relative to the base address, in one place for the pages and endpoints.</summary>
public static class ShareLinkDisplay
{
    public static string PageLink(string secret) => $"s/{Uri.EscapeDataString(secret)}";

    public static string FileLink(string secret, string path) => $"{PageLink(secret)}/files/{EscapePath(path)}";

    public static string ViewLink(string secret, string path) => $"{PageLink(secret)}/view/{EscapePath(path)}";

    public static string ZipLink(string secret) => $"{PageLink(secret)}/zip";

    public static IReadOnlyList<(string Label, TimeSpan ValidFor)> Validities { get; } =
    [
        ("1 hour", TimeSpan.FromHours(1)),
        ("1 day", TimeSpan.FromDays(1)),
        ("7 days", TimeSpan.FromDays(7)),
        ("30 days", TimeSpan.FromDays(30)),
        ("90 days", TimeSpan.FromDays(90)),
    ];

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
