using System.Text;
using System.Text.RegularExpressions;

namespace ArtifactPortal.Core.Projects;

/// <summary>Rules for the URL segment of a project: lowercase letters, digits and single hyphens.</summary>
public static partial class ProjectSlug
{
    public const int MaxLength = 64;

    public static bool IsValid(string slug) => slug.Length is >= 2 and <= MaxLength && SlugPattern().IsMatch(slug);

    /// <summary>Suggests a slug for a project name, e.g. "Fraud Detection v2" → "fraud-detection-v2".</summary>
    public static string FromName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-' && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length > MaxLength ? slug[..MaxLength].TrimEnd('-') : slug;
    }

    // \z, not $: $ also matches before a final newline, so "slug\n" would pass.
    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex SlugPattern();
}
