using System.Globalization;

namespace ArtifactPortal.Core.Runs;

/// <summary>The limits of docs/runs-api.md for a metric batch; errors name the offending point and key.</summary>
public static class MetricValidation
{
    public static string? BatchError(IReadOnlyList<NewMetricPoint> points)
    {
        if (points.Count > RunLimits.MaxPointsPerBatch)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"points: at most {RunLimits.MaxPointsPerBatch:N0} points per call, got {points.Count:N0}; send the rest in another call.");
        }

        for (var i = 0; i < points.Count; i++)
        {
            var (key, step, _, _) = points[i];
            var error = string.IsNullOrWhiteSpace(key) ? "the key is missing"
                : key.Length > RunLimits.MaxKeyLength ? $"the key '{key[..20]}…' is longer than {RunLimits.MaxKeyLength} characters"
                : step < 0 ? $"step {step} of '{key}' is negative; steps are integers ≥ 0"
                : null;
            if (error is not null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"points[{i}]: {error}.");
            }
        }

        return null;
    }
}
