using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Patterning;

/// <summary>The observables a STIX pattern names by equality on a single id-determining property
/// (<c>[ipv4-addr:value = '…']</c>), with their canonical node ids.</summary>
public static class PatternObservables
{
    /// <summary>Observable properties that alone determine the SCO's deterministic id, so a pattern comparison on them
    /// names exactly one observable node.</summary>
    static readonly Dictionary<string, string> SinglePropertyIds = new(StringComparer.Ordinal)
    {
        ["ipv4-addr"] = "value", ["ipv6-addr"] = "value", ["domain-name"] = "value", ["url"] = "value",
        ["email-addr"] = "value", ["mac-addr"] = "value", ["mutex"] = "name", ["autonomous-system"] = "number",
    };

    /// <summary>Each named observable: the canonical node id (of the normalised value), its type, the property and the
    /// normalised value. Nothing for a pattern that does not parse.</summary>
    public static IEnumerable<(string Id, string Type, string Property, string Value)> Of(string pattern)
    {
        var parsed = StixPattern.Parse(pattern);
        if (!parsed.Success)
        {
            yield break;
        }
        foreach (var o in parsed.EqualityObservables)
        {
            if (!SinglePropertyIds.TryGetValue(o.ObjectType, out var prop) || o.PropertyPath != prop)
            {
                continue;
            }
            var value = prop == "value" ? ObservableNormalizer.NormalizeValue(o.ObjectType, o.Value) : o.Value;
            if (ObservableNormalizer.CanonicalId(o.ObjectType, prop, value) is { } id)
            {
                yield return (id, o.ObjectType, prop, value);
            }
        }
    }
}
