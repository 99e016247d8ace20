using System.Globalization;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>Sizes, speeds and durations as people read them: "12.4 MB", "54 MB/s", "about 20 s left".</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["kB", "MB", "GB", "TB", "PB"];

    /// <summary>Decimal units, like the browser's and the operating system's download views.</summary>
    public static string Format(double bytes)
    {
        if (bytes < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, Math.Round(bytes)):0} B");
        }

        var value = bytes;
        var unit = -1;
        while (value >= 999.95 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return value.ToString(value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string Speed(double bytesPerSecond) => Format(bytesPerSecond) + "/s";

    public static string TimeLeft(double seconds) => seconds switch
    {
        < 5 => "a few seconds left",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"about {Math.Max(5, Math.Round(seconds / 5) * 5):0} s left"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"about {Math.Ceiling(seconds / 60):0} min left"),
        _ => Hours((long)Math.Ceiling(seconds / 60)),
    };

    private static string Hours(long minutes) => minutes % 60 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"about {minutes / 60} h left")
        : string.Create(CultureInfo.InvariantCulture, $"about {minutes / 60} h {minutes % 60} min left");
}
