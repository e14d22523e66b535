namespace ThreatGraph.Stix.Patterning;

/// <summary>The RFC 3339 subset a pattern timestamp literal may use: <c>YYYY-MM-DDTHH:MM:SS[.s+]Z</c>
/// (UTC, uppercase T and Z, seconds 00–60 for a leap second), with a real calendar day.</summary>
internal static class PatternTimestamp
{
    private const string Shape = "dddd-dd-ddTdd:dd:dd";

    /// <summary>Null when valid, else the offset (within the literal's content) of the first bad character and why.</summary>
    public static (int Offset, string Reason)? Validate(string s)
    {
        const string Expected = "expected the form YYYY-MM-DDTHH:MM:SS[.fraction]Z";
        for (var i = 0; i < Shape.Length; i++)
        {
            if (i >= s.Length)
            {
                return (s.Length, Expected);
            }
            var ok = Shape[i] == 'd' ? char.IsAsciiDigit(s[i]) : s[i] == Shape[i];
            if (!ok)
            {
                return (i, Shape[i] == 'd' ? $"expected a digit but found '{s[i]}'" : $"expected '{Shape[i]}' but found '{s[i]}'");
            }
        }
        var pos = Shape.Length;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            var digitsStart = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }
            if (pos == digitsStart)
            {
                return (pos, "expected fraction digits after '.'");
            }
        }
        if (pos >= s.Length || s[pos] != 'Z')
        {
            return (pos, "expected 'Z' (timestamps must be UTC)");
        }
        if (pos + 1 != s.Length)
        {
            return (pos + 1, "unexpected text after 'Z'");
        }

        var year = Number(s, 0, 4);
        var month = Number(s, 5, 2);
        var day = Number(s, 8, 2);
        if (month is < 1 or > 12)
        {
            return (5, $"month {s.Substring(5, 2)} is not 01-12");
        }
        if (day < 1 || day > DaysInMonth(year, month))
        {
            return (8, $"day {s.Substring(8, 2)} does not exist in {s[..7]}");
        }
        if (Number(s, 11, 2) > 23)
        {
            return (11, $"hour {s.Substring(11, 2)} is not 00-23");
        }
        if (Number(s, 14, 2) > 59)
        {
            return (14, $"minute {s.Substring(14, 2)} is not 00-59");
        }
        if (Number(s, 17, 2) > 60)
        {
            return (17, $"second {s.Substring(17, 2)} is not 00-60");
        }
        return null;
    }

    /// <summary>Orders two valid timestamps (all UTC, fixed-width up to the seconds, fractions of any length).</summary>
    public static int Compare(string a, string b)
    {
        var head = string.CompareOrdinal(a[..19], b[..19]);
        if (head != 0)
        {
            return head;
        }
        var fa = Fraction(a);
        var fb = Fraction(b);
        var width = Math.Max(fa.Length, fb.Length);
        return string.CompareOrdinal(fa.PadRight(width, '0'), fb.PadRight(width, '0'));
    }

    private static string Fraction(string s) => s.Length > 20 && s[19] == '.' ? s[20..^1] : "";

    private static int Number(string s, int start, int length)
    {
        var n = 0;
        for (var i = start; i < start + length; i++)
        {
            n = (n * 10) + (s[i] - '0');
        }
        return n;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };
}
