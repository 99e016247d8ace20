using System.Globalization;
using ArtifactPortal.Core.Artifacts;

namespace ArtifactPortal.Web.Features.Artifacts;

/// <summary>Speeds and durations as people read them: "54 MB/s", "about 20 s left" (sizes: <see cref="ByteSize"/>).</summary>
internal static class UploadText
{
    public static string Speed(double bytesPerSecond) => ByteSize.Format((long)bytesPerSecond) + "/s";

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
