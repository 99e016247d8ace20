using System.Globalization;
using ArtifactPortal.Core.Audit;
using Microsoft.AspNetCore.WebUtilities;

namespace ArtifactPortal.Web.Features.Audit;

/// <summary>The audit filters as the pages show them and as the CSV links carry them: whole days in UTC, both ends included.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, DateOnly? From = null, DateOnly? To = null)
{
    public AuditFilter ToFilter() => new(
        string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim(),
        string.IsNullOrWhiteSpace(Action) ? null : Action.Trim(),
        From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);

    /// <summary><paramref name="path"/> with these filters as its query string, e.g. for the CSV download.</summary>
    public string AppendTo(string path)
    {
        var query = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            query["actor"] = Actor.Trim();
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            query["action"] = Action.Trim();
        }

        if (From is { } from)
        {
            query["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (To is { } to)
        {
            query["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return QueryHelpers.AddQueryString(path, query);
    }
}
