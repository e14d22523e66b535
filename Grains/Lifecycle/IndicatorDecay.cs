using System.Text.Json.Nodes;
using ThreatGraph.Stix.Patterning;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>
/// The decay of one indicator (README "Lifecycle and severity"): score(t) = s0 · (1 − (t/L)^(1/δ)) for 0 ≤ t ≤ L, 0 after,
/// where t is the time since the indicator was last revived (its current version or latest sighting arrived; not before
/// valid_from), s0 its <c>confidence</c> (else <see cref="LifecycleOptions.BaseScore"/>), and L, δ those of its pattern's
/// first observable type (<see cref="LifecycleOptions.RuleFor"/>) or its own <c>x_threatgraph_decay</c>. It stops counting
/// when the score falls below the threshold — at t = L · (1 − threshold/s0)^δ — or at valid_until, whichever is first.
/// </summary>
public static class IndicatorDecay
{
    public const string DecayProperty = "x_threatgraph_decay";

    public static IndicatorLifecycle Evaluate(JsonObject indicator, DateTimeOffset revived, DateTimeOffset now, LifecycleOptions options)
    {
        var s0 = Number(indicator["confidence"]) is { } confidence and >= 0 and <= 100 ? confidence : options.BaseScore;
        var (lifetimeDays, speed) = RuleOf(indicator, options);
        var validFrom = Timestamp(indicator, "valid_from");
        var validUntil = Timestamp(indicator, "valid_until");
        var since = validFrom is { } vf && vf > revived ? vf : revived;
        var lifetime = TimeSpan.FromDays(lifetimeDays);

        DateTimeOffset? decayedAt = s0 < options.ActiveThreshold ? since
            : since + lifetime * Math.Pow(1 - (options.ActiveThreshold / s0), speed);
        var age = now - since;
        var score = age <= TimeSpan.Zero ? s0
            : age >= lifetime ? 0
            : s0 * (1 - Math.Pow(age / lifetime, 1 / speed));
        string? inactive = null;
        if (validUntil is { } until && now >= until)
        {
            (score, inactive) = (0, $"expired: valid_until {Format(until)} has passed");
        }
        else if (now >= decayedAt)
        {
            inactive = $"decayed: its score fell below {options.ActiveThreshold} (Lifecycle:ActiveThreshold) at {Format(decayedAt.Value)}";
        }
        return new IndicatorLifecycle(Math.Round(Math.Max(0, score), 2), decayedAt, validUntil, since, inactive);
    }

    /// <summary>L (days) and δ: the indicator's own <c>x_threatgraph_decay</c>, else the rule of its pattern's first observable type.</summary>
    static (double LifetimeDays, double Speed) RuleOf(JsonObject indicator, LifecycleOptions options)
    {
        string? type = null;
        if (Str(indicator["pattern_type"]) == "stix" && Str(indicator["pattern"]) is { } pattern && StixPattern.Parse(pattern) is { Success: true } parsed)
        {
            type = parsed.Observables.Select(o => o.ObjectType).FirstOrDefault();
        }
        var rule = options.RuleFor(type);
        if (indicator[DecayProperty] is JsonObject own)
        {
            if (Number(own["lifetime_days"]) is { } days and > 0)
            {
                rule.LifetimeDays = days;
            }
            if (Number(own["speed"]) is { } speed and > 0)
            {
                rule.Speed = speed;
            }
        }
        return rule;
    }

    static DateTimeOffset? Timestamp(JsonObject o, string property) =>
        Str(o[property]) is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>A JSON number, whether parsed from text or built in code (a JsonValue of int does not read as double).</summary>
    static double? Number(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
