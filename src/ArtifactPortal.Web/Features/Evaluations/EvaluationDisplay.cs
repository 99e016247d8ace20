using System.Globalization;

namespace ArtifactPortal.Web.Features.Evaluations;

public static class EvaluationDisplay
{
    public static string Value(double? value) => value switch
    {
        null => "—",
        { } v when v != 0 && (Math.Abs(v) >= 1e6 || Math.Abs(v) < 1e-4) => v.ToString("0.###e+0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };

    public static string Difference(double? difference) => difference switch
    {
        null => "—",
        0 => "±0",
        > 0 => "+" + Value(difference),
        _ => Value(difference),
    };

    public static string ModelEvaluationsLink(string slug, string model) =>
        $"p/{Uri.EscapeDataString(slug)}/models/{Uri.EscapeDataString(model)}/evaluations";
}
