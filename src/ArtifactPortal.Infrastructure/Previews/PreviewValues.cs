using System.Collections;
using System.Globalization;
using System.Text;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>Values read from data files as the text of a table cell.</summary>
internal static class PreviewValues
{
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => PreviewLimits.Cell(s),
        byte[] bytes => $"<{bytes.Length} bytes>",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        IDictionary dictionary => PreviewLimits.Cell(
            "{" + string.Join(", ", dictionary.Keys.Cast<object>().Select(k => $"{k}: {Format(dictionary[k]) ?? "null"}")) + "}"),
        IEnumerable items => PreviewLimits.Cell("[" + string.Join(", ", items.Cast<object?>().Select(i => Format(i) ?? "null")) + "]"),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => PreviewLimits.Cell(value.ToString()),
    };

    /// <summary>Text decoded from a byte window that may start or end inside a UTF-8 sequence.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes, bool trimStart, bool trimEnd)
    {
        if (trimStart)
        {
            var skip = 0;
            while (skip < bytes.Length && skip < 3 && (bytes[skip] & 0xC0) == 0x80)
            {
                skip++;
            }

            bytes = bytes[skip..];
        }

        if (trimEnd)
        {
            // Drop a lead byte and its continuation bytes that the window cut off.
            var end = bytes.Length;
            var back = 0;
            while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80)
            {
                back++;
            }

            if (end - back - 1 >= 0 && bytes[end - back - 1] >= 0xC0)
            {
                var lead = bytes[end - back - 1];
                var needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
                if (back < needed)
                {
                    bytes = bytes[..(end - back - 1)];
                }
            }
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
