using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Upgrade;

/// <summary>
/// STIX 2.0 → 2.1, by the differences the 2.1 specification documents (its section 1.7 and the per-type property
/// tables of STIX 2.0 parts 2 and 4). Everything not listed here is the same in both versions and is kept as sent,
/// custom properties and timestamps included:
/// <list type="bullet">
/// <item>every object: <c>"spec_version": "2.1"</c> (2.0 objects had none);</item>
/// <item><c>labels</c>, which 2.0 required on these types, become their 2.1 type vocabularies:
/// indicator → <c>indicator_types</c>, malware → <c>malware_types</c>, threat-actor → <c>threat_actor_types</c>,
/// tool → <c>tool_types</c>, report → <c>report_types</c>;</item>
/// <item>indicator: <c>"pattern_type": "stix"</c> when absent (2.0 patterns are STIX patterns);</item>
/// <item>malware: <c>"is_family": true</c> when absent. 2.0 did not say family or instance; 2.0 malware had to have a
/// name (which 2.1 requires of families), and 2.0 feeds (ATT&amp;CK software, vendor playbooks) describe families;</item>
/// <item>observed-data: <c>objects</c> (2.0's embedded observable dictionary) → top-level SCOs with deterministic ids
/// (<see cref="Stix20Observables"/>) and <c>object_refs</c> naming them.</item>
/// </list>
/// </summary>
public static class Stix20Upgrader
{
    /// <summary>The 2.1 property each type's 2.0 <c>labels</c> became.</summary>
    static readonly Dictionary<string, string> LabelsBecome = new(StringComparer.Ordinal)
    {
        ["indicator"] = "indicator_types",
        ["malware"] = "malware_types",
        ["threat-actor"] = "threat_actor_types",
        ["tool"] = "tool_types",
        ["report"] = "report_types",
    };

    /// <summary>Upgrades one 2.0 object (see <see cref="Stix20Detection"/>).</summary>
    /// <param name="path">JSON path of the object in its bundle, e.g. <c>$.objects[3]</c>.</param>
    /// <exception cref="Stix20UpgradeException">The object cannot be upgraded without losing or inventing meaning.</exception>
    public static Stix20Upgrade Upgrade(JsonObject original, string path)
    {
        var obj = (JsonObject)original.DeepClone();
        var type = obj["type"] is JsonValue t && t.TryGetValue(out string? s) ? s : "";
        var changes = new List<string>();

        changes.Add(obj.ContainsKey("spec_version") ? "spec_version \"2.0\" → \"2.1\"" : "spec_version \"2.1\" added");
        obj.Remove("spec_version");
        // spec_version goes first, after type, where 2.1 producers put it (order has no meaning in JSON).
        var upgraded = new JsonObject();
        foreach (var (name, value) in obj.ToList())
        {
            obj.Remove(name);
            upgraded[name] = value;
            if (name == "type")
            {
                upgraded["spec_version"] = "2.1";
            }
        }
        if (!upgraded.ContainsKey("spec_version"))
        {
            upgraded["spec_version"] = "2.1";
        }

        if (LabelsBecome.TryGetValue(type, out var vocabulary) && upgraded["labels"] is { } labels)
        {
            if (upgraded.ContainsKey(vocabulary))
            {
                throw new Stix20UpgradeException($"{path}.{vocabulary}",
                    $"a STIX 2.0 {type} cannot have both 'labels' and '{vocabulary}': 2.0 labels become {vocabulary} in 2.1; send one of them");
            }
            upgraded.Remove("labels");
            upgraded[vocabulary] = labels;
            changes.Add($"labels → {vocabulary}");
        }
        switch (type)
        {
            case "indicator" when !upgraded.ContainsKey("pattern_type"):
                upgraded["pattern_type"] = "stix";
                changes.Add("pattern_type \"stix\" added");
                break;
            case "malware" when !upgraded.ContainsKey("is_family"):
                upgraded["is_family"] = true;
                changes.Add("is_family true added (a 2.0 malware is read as a family)");
                break;
        }
        IReadOnlyList<Stix20Observable> observables = [];
        if (type == "observed-data" && upgraded.ContainsKey("objects"))
        {
            observables = Stix20Observables.Extract(upgraded, path);
            changes.Add($"objects (the 2.0 observable dictionary) → {observables.Count} observable(s) "
                + $"{string.Join(", ", observables.Select(o => $"'{o.Key}' = {o.Object["id"]}"))} and object_refs");
        }
        return new Stix20Upgrade(upgraded, observables, changes);
    }
}
