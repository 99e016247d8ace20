using ArtifactPortal.Core.Common;

namespace ArtifactPortal.Core.Runs;

public enum RunSortField
{
    Started,
    Name,
    Metric,
    Param,
}

/// <summary>
/// The runs list order: <c>started</c>, <c>name</c>, <c>metrics.X</c> or <c>params.X</c>, ascending, or descending
/// with a leading <c>-</c>. The default is <c>-started</c> (newest first).
/// </summary>
public sealed record RunSort(RunSortField Field, string? Key, bool Descending)
{
    public static RunSort Default { get; } = new(RunSortField.Started, null, Descending: true);

    public static RunSort Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        text = text.Trim();
        var descending = text.StartsWith('-');
        var name = descending ? text[1..] : text;
        RunSort? sort = name.ToLowerInvariant() switch
        {
            "started" => new(RunSortField.Started, null, descending),
            "name" => new(RunSortField.Name, null, descending),
            _ when name.StartsWith("metrics.", StringComparison.OrdinalIgnoreCase) && name.Length > 8 => new(RunSortField.Metric, name[8..], descending),
            _ when name.StartsWith("params.", StringComparison.OrdinalIgnoreCase) && name.Length > 7 => new(RunSortField.Param, name[7..], descending),
            _ => null,
        };
        return sort ?? throw new PortalRequestException($"Sort by started, name, metrics.KEY or params.KEY (with - for descending), not '{text}'.");
    }

    public override string ToString() => (Descending ? "-" : "") + Field switch
    {
        RunSortField.Metric => $"metrics.{Key}",
        RunSortField.Param => $"params.{Key}",
        _ => Field.ToString().ToLowerInvariant(),
    };
}
