using System.Globalization;
using System.Text.RegularExpressions;

namespace ThreatGraph.Stix.Validation;

/// <summary>Timestamps (section 3.2): RFC 3339, UTC with a literal Z; created/modified to the millisecond at least.</summary>
internal static partial class TimestampRules
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DatePart();

    [GeneratedRegex(@"^\d{2}:\d{2}:\d{2}(\.\d+)?$")]
    private static partial Regex TimePart();

    [GeneratedRegex(@"\.\d{3,}Z$")]
    private static partial Regex Millis();

    public static void Check(ValidationContext ctx)
    {
        // For types STIX defines, every timestamp-typed property; for custom and extension-defined types only the
        // common ones (we do not know which of their properties are timestamps).
        foreach (var (name, node) in ctx.Obj)
        {
            var isTimestamp = name is "created" or "modified"
                || (ctx.IsSpecType && SpecProperties.Timestamps.Contains(name) && !(name is "start" or "end" && ctx.Type != "network-traffic") && !(name == "date" && ctx.Type != "email-message"));
            if (!isTimestamp)
            {
                continue;
            }
            var path = ctx.PathOf(name);
            if (ValidationContext.AsString(node) is not { } s)
            {
                ctx.Error(path, $"'{name}' must be a timestamp string");
                continue;
            }
            if (Diagnose(s) is { } problem)
            {
                ctx.Error(path, $"'{name}' value '{s}' is not a valid STIX timestamp: {problem}");
                continue;
            }
            if (name is "created" or "modified" && !Millis().IsMatch(s))
            {
                ctx.Error(path, $"'{name}' value '{s}' must be precise to the millisecond (at least 3 fractional-second digits)");
            }
        }
    }

    /// <summary>Null when <paramref name="s"/> is a valid STIX timestamp, else what is wrong with it.</summary>
    public static string? Diagnose(string s)
    {
        if (StixTimestamp.TryParse(s, out _))
        {
            return null;
        }
        if (!s.EndsWith('Z'))
        {
            return "it must be in UTC and end with 'Z' (RFC 3339, e.g. 2016-05-12T08:17:27.000Z)";
        }
        var t = s.IndexOf('T', StringComparison.Ordinal);
        if (t < 0)
        {
            return "there is no 'T' between the date and the time (RFC 3339, e.g. 2016-05-12T08:17:27.000Z)";
        }
        var date = s[..t];
        var time = s[(t + 1)..^1];
        if (!DatePart().IsMatch(date))
        {
            return $"the date part '{date}' is not YYYY-MM-DD";
        }
        if (!DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return $"the date '{date}' does not exist";
        }
        if (!TimePart().IsMatch(time))
        {
            return $"the time part '{time}' is not HH:MM:SS[.fraction]";
        }
        return $"the time '{time}' is out of range or has more than 7 fractional digits";
    }

    /// <summary>Reports an Error when both timestamps are valid and <paramref name="later"/> is before <paramref name="earlier"/>
    /// (or not strictly after it, when <paramref name="strict"/>).</summary>
    public static void CheckOrder(ValidationContext ctx, string earlier, string later, bool strict)
    {
        if (ctx.GetString(earlier) is { } a && ctx.GetString(later) is { } b
            && StixTimestamp.TryParse(a, out var ta) && StixTimestamp.TryParse(b, out var tb)
            && (strict ? tb <= ta : tb < ta))
        {
            ctx.Error(ctx.PathOf(later), strict
                ? $"'{later}' ({b}) must be later than '{earlier}' ({a})"
                : $"'{later}' ({b}) must not be earlier than '{earlier}' ({a})");
        }
    }
}
