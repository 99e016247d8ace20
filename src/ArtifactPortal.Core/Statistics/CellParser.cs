using System.Globalization;

namespace ArtifactPortal.Core.Statistics;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Mirrors ColumnType.")]
public enum CellKind
{
    Null,
    Integer,
    Float,
    Boolean,
    DateTime,
    String,
}

/// <summary>
/// Infers the type of one text cell and parses it from the span, without allocating. Numbers are invariant-culture decimals
/// ("NaN" and "Infinity" are text, so they can be flagged); booleans are true/false in any case; date-times are ISO 8601
/// dates or timestamps, as Unix seconds (UTC unless an offset is given).
/// </summary>
public static class CellParser
{
    private static readonly double[] PowersOfTen =
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    public static CellKind Parse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return CellKind.Null;
        }

        var first = text[0];
        if (char.IsAsciiDigit(first) || first is '-' or '+' or '.')
        {
            if (text.Length >= 10 && text[4] == '-' && char.IsAsciiDigit(first) && TryParseDateTime(text, out value))
            {
                return CellKind.DateTime;
            }

            return TryParseNumber(text, out value, out var isInteger) ? (isInteger ? CellKind.Integer : CellKind.Float) : CellKind.String;
        }

        if (first is 't' or 'T' or 'f' or 'F')
        {
            if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                value = 1;
                return CellKind.Boolean;
            }

            if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return CellKind.Boolean;
            }
        }

        return CellKind.String;
    }

    /// <summary>A decimal number; <paramref name="isInteger"/> when it has no fraction or exponent and fits a long.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value, out bool isInteger)
    {
        isInteger = false;
        value = 0;
        var i = 0;
        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            i = 1;
        }

        // Fast path (Clinger): up to 15 significant digits and up to 22 decimals are exact doubles, so one division rounds correctly.
        ulong mantissa = 0;
        var digits = 0;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && digits < 19)
        {
            mantissa = (mantissa * 10) + (ulong)(text[i] - '0');
            digits += mantissa == 0 ? 0 : 1;
            i++;
        }

        var integerDigits = i - start;
        if (i == text.Length && integerDigits > 0 && digits < 19)
        {
            isInteger = true;
            value = negative ? -(double)mantissa : mantissa;
            return true;
        }

        if (i < text.Length && text[i] == '.' && digits <= 15)
        {
            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && digits <= 15)
            {
                mantissa = (mantissa * 10) + (ulong)(text[i] - '0');
                digits += mantissa == 0 ? 0 : 1;
                i++;
            }

            var fractionDigits = i - fractionStart;
            if (i == text.Length && integerDigits + fractionDigits > 0 && digits <= 15 && fractionDigits <= 22)
            {
                var magnitude = mantissa / PowersOfTen[fractionDigits];
                value = negative ? -magnitude : magnitude;
                return true;
            }
        }

        // Exponents, long mantissas: the framework's parser, after ruling out what it would accept but a data file would not mean.
        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+'))
            {
                return false;
            }
        }

        if (!char.IsAsciiDigit(text[^1]) && text[^1] != '.')
        {
            return false;
        }

        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return false;
        }

        isInteger = !text.ContainsAny('.', 'e', 'E') && Math.Abs(value) < 9.2e18;
        return true;
    }

    /// <summary>yyyy-MM-dd, optionally followed by T or space, HH:mm[:ss[.fffffff]] and Z or ±HH:mm.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out double unixSeconds)
    {
        unixSeconds = 0;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        double seconds = DaysFromCivil(year, month, day) * 86400L;
        if (text.Length == 10)
        {
            unixSeconds = seconds;
            return true;
        }

        if (text.Length < 16 || text[10] is not ('T' or ' ') || text[13] != ':'
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || hour > 23 || minute > 59)
        {
            return false;
        }

        seconds += (hour * 3600) + (minute * 60);
        var rest = text[16..];
        if (rest.Length >= 3 && rest[0] == ':')
        {
            if (!TryDigits(rest.Slice(1, 2), out var second) || second > 60)
            {
                return false;
            }

            seconds += second;
            rest = rest[3..];
            if (rest.Length > 1 && rest[0] is '.' or ',')
            {
                var end = 1;
                double fraction = 0, scale = 0.1;
                while (end < rest.Length && char.IsAsciiDigit(rest[end]))
                {
                    fraction += (rest[end] - '0') * scale;
                    scale /= 10;
                    end++;
                }

                if (end == 1)
                {
                    return false;
                }

                seconds += fraction;
                rest = rest[end..];
            }
        }

        if (rest.IsEmpty || rest is "Z" or "z")
        {
            unixSeconds = seconds;
            return true;
        }

        if (rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':'
            && TryDigits(rest.Slice(1, 2), out var offsetHours) && TryDigits(rest.Slice(4, 2), out var offsetMinutes))
        {
            var offset = (offsetHours * 3600) + (offsetMinutes * 60);
            unixSeconds = rest[0] == '+' ? seconds - offset : seconds + offset;
            return true;
        }

        return false;
    }

    public static bool IsSuspiciousNullText(ReadOnlySpan<char> text) =>
        text.Length is > 0 and <= 9 && text.Trim() switch
        {
            var t when t.Equals("nan", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("null", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("none", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("n/a", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("na", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("#n/a", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("nil", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("undefined", StringComparison.OrdinalIgnoreCase) => true,
            var t when t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("-infinity", StringComparison.OrdinalIgnoreCase) => true,
            _ => false,
        };

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    // Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    private static long DaysFromCivil(int year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097L) + dayOfEra - 719468;
    }
}
