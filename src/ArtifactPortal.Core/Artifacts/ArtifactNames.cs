using System.Text.RegularExpressions;

namespace ArtifactPortal.Core.Artifacts;

/// <summary>Rules for artifact names, aliases and tags: the characters that survive URLs, shells and identifiers.</summary>
public static partial class ArtifactNames
{
    public const int MaxNameLength = 128;
    public const int MaxAliasLength = 64;
    public const int MaxTagLength = 64;
    public const int MaxTags = 20;
    public const int MaxDescriptionLength = 20_000;

    /// <summary>Moved by every commit; nobody sets it by hand.</summary>
    public const string Latest = "latest";

    public static string? NameError(string? name) => name switch
    {
        null or "" => "Give the artifact a name.",
        { Length: > MaxNameLength } => $"Names are at most {MaxNameLength} characters.",
        _ when !NamePattern().IsMatch(name) => "Use letters, digits, '.', '_' and '-', starting with a letter or digit.",
        _ => null,
    };

    public static string? AliasError(string? alias) => alias switch
    {
        null or "" => "Give the alias a name.",
        { Length: > MaxAliasLength } => $"Aliases are at most {MaxAliasLength} characters.",
        Latest => "'latest' always points at the newest version and cannot be set by hand.",
        _ when VersionNumberPattern().IsMatch(alias) => $"'{alias}' looks like a version number; choose another alias.",
        _ when !AliasPattern().IsMatch(alias) => "Use lowercase letters, digits, '.', '_' and '-', starting with a letter.",
        _ => null,
    };

    public static string? TagError(string tag) => tag switch
    {
        "" => "Tags cannot be empty.",
        { Length: > MaxTagLength } => $"Tags are at most {MaxTagLength} characters.",
        _ when tag.Any(char.IsControl) => "Tags cannot contain control characters.",
        _ => null,
    };

    /// <summary><c>v3</c> or <c>3</c> → 3; anything else is not a version number.</summary>
    public static int? ParseVersionNumber(string reference)
    {
        var match = VersionNumberPattern().Match(reference);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, out var number) && number > 0 ? number : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9._-]*$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[vV]?([0-9]{1,9})$")]
    private static partial Regex VersionNumberPattern();
}
