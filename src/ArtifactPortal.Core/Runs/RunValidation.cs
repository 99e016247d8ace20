using ArtifactPortal.Core.Common;

namespace ArtifactPortal.Core.Runs;

/// <summary>The <see cref="RunLimits"/> checks; each failure names what was too long so a script's author can find it.</summary>
internal static class RunValidation
{
    public static void Demand(string? value, int maxLength, string what)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw new PortalRequestException($"The {what} is {value.Length} characters long; at most {maxLength} are allowed.");
        }
    }

    public static void DemandKey(string key, string kind)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new PortalRequestException($"A {kind} key cannot be empty.");
        }

        if (key.Length > RunLimits.MaxKeyLength)
        {
            throw new PortalRequestException($"The {kind} key '{key[..40]}…' is {key.Length} characters long; keys are at most {RunLimits.MaxKeyLength}.");
        }
    }

    public static Dictionary<string, string> Params(IReadOnlyDictionary<string, string>? values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values ?? new Dictionary<string, string>())
        {
            DemandKey(key, "param");
            if (value.Length > RunLimits.MaxParamValueLength)
            {
                throw new PortalRequestException(
                    $"The value of param '{key}' is {value.Length} characters long; values are at most {RunLimits.MaxParamValueLength}.");
            }

            result[key] = value;
        }

        return result;
    }

    public static List<string> Tags(IReadOnlyList<string>? tags)
    {
        var result = new List<string>();
        foreach (var tag in (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0))
        {
            if (tag.Length > RunLimits.MaxTagLength)
            {
                throw new PortalRequestException($"The tag '{tag[..40]}…' is {tag.Length} characters long; tags are at most {RunLimits.MaxTagLength}.");
            }

            if (!result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }
        }

        return result;
    }
}
