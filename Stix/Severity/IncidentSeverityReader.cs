using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Severity;

/// <summary>An incident's severity factors as read from its JSON: factor → value, and whether it was determined a false positive.</summary>
public sealed record IncidentFactors(IReadOnlyDictionary<string, string> Values, bool FalsePositive);

/// <summary>A problem with an incident's severity data: an error (the object is rejected) or a warning (a SHOULD of the
/// Incident Core extension not met; the value is left out of the severity).</summary>
public sealed record SeverityIssue(string Path, string Message, bool IsError);

/// <summary>
/// Reads the severity factors an incident carries:
/// <list type="bullet">
/// <item><c>x_threatgraph_severity</c>: an object of factor → value (<see cref="SeverityFactors.Vocabulary"/>). Ours, so
/// strict: an unknown factor or value is an error.</item>
/// <item>The Incident Core extension (<see cref="IncidentCoreExtension"/>), for factors <c>x_threatgraph_severity</c>
/// leaves out: <c>recoverability</c> (its open vocabulary: a value outside it is warned about and left out),
/// <c>criticality</c> (an integer 0–100, else an error) as potential impact (0 none, 1–24 low, 25–49 medium, 50–74
/// high, 75–100 severe), and <c>determination</c>: <c>false-positive</c> makes the incident Baseline; otherwise, as
/// observed activity, confirmed → effect, blocked or failed → engage, suspected → prepare.</item>
/// </list>
/// </summary>
public static class IncidentSeverityReader
{
    /// <summary>The OASIS Incident Core extension (cti-stix-common-objects, incident-core).</summary>
    public const string IncidentCoreExtension = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

    /// <summary>Our property on incidents that carries NCISS factors.</summary>
    public const string Property = "x_threatgraph_severity";

    static readonly IReadOnlySet<string> Determinations = new HashSet<string>(["blocked", "confirmed", "failed", "false-positive", "suspected"], StringComparer.Ordinal);

    public static IncidentFactors Read(JsonObject incident) => Read(incident, "$", null);

    public static IncidentFactors Read(JsonObject incident, string basePath, List<SeverityIssue>? issues)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = $"{basePath}.{Property}";
        if (incident[Property] is { } own)
        {
            if (own is not JsonObject factors)
            {
                issues?.Add(new(path, $"'{Property}' must be an object of severity factor → value", true));
            }
            else
            {
                foreach (var (factor, node) in factors)
                {
                    if (!SeverityFactors.Vocabulary.TryGetValue(factor, out var vocabulary))
                    {
                        issues?.Add(new($"{path}.{factor}", $"'{factor}' is not a severity factor (one of {string.Join(", ", SeverityFactors.All)})", true));
                    }
                    else if (AsString(node) is not { } value || !vocabulary.ContainsKey(value))
                    {
                        issues?.Add(new($"{path}.{factor}", $"{Describe(node)} is not a value of {factor} (one of {string.Join(", ", vocabulary.Keys)})", true));
                    }
                    else
                    {
                        values[factor] = value;
                    }
                }
            }
        }

        var falsePositive = false;
        if (incident["extensions"] is JsonObject extensions && extensions[IncidentCoreExtension] is JsonObject core)
        {
            var corePath = $"{basePath}.extensions['{IncidentCoreExtension}']";
            if (core["recoverability"] is { } r && !values.ContainsKey(SeverityFactors.Recoverability))
            {
                if (AsString(r) is { } rv && SeverityFactors.Vocabulary[SeverityFactors.Recoverability].ContainsKey(rv))
                {
                    values[SeverityFactors.Recoverability] = rv;
                }
                else
                {
                    issues?.Add(new($"{corePath}.recoverability", $"{Describe(r)} is not in the recoverability vocabulary; it is left out of the severity", false));
                }
            }
            if (core["criticality"] is { } c)
            {
                if (c is JsonValue cv && cv.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    && long.TryParse(cv.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var criticality)
                    && criticality is >= 0 and <= 100)
                {
                    values.TryAdd(SeverityFactors.PotentialImpact, criticality switch
                    {
                        0 => "none", < 25 => "low", < 50 => "medium", < 75 => "high", _ => "severe",
                    });
                }
                else
                {
                    issues?.Add(new($"{corePath}.criticality", $"'criticality' must be an integer from 0 to 100, not {Describe(c)}", true));
                }
            }
            if (core["determination"] is { } d)
            {
                var determination = AsString(d);
                if (determination is null || !Determinations.Contains(determination))
                {
                    issues?.Add(new($"{corePath}.determination", $"{Describe(d)} is not in the determination vocabulary; it is left out of the severity", false));
                }
                else
                {
                    falsePositive = determination == "false-positive";
                    values.TryAdd(SeverityFactors.ObservedActivity, determination switch
                    {
                        "confirmed" => "effect", "suspected" => "prepare", "false-positive" => "none", _ => "engage",
                    });
                }
            }
        }
        return new IncidentFactors(values, falsePositive);
    }

    static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    static string Describe(JsonNode? node) => node is null ? "null" : AsString(node) is { } s ? $"'{s}'" : node.ToJsonString();
}
