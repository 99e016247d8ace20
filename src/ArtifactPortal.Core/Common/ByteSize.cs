using System.Globalization;

namespace ArtifactPortal.Core.Common;

public static class ByteSize
{
    private static readonly string[] Units = ["bytes", "KB", "MB", "GB", "TB", "PB"];

    /// <summary>Decimal units, as people read sizes: 1234567 → "1.2 MB".</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1000)
        {
            return bytes == 1 ? "1 byte" : $"{bytes} bytes";
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]}");
    }
}
