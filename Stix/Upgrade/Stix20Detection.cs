using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Upgrade;

/// <summary>
/// Which objects are STIX 2.0 content. STIX 2.0 had no <c>spec_version</c> on objects (only on the bundle), and no
/// top-level cyber observables (they lived inside observed-data). So an object is 2.0 when it says
/// <c>"spec_version": "2.0"</c>, or has no <c>spec_version</c> and is not a STIX 2.1 SCO (for which 2.1 makes
/// <c>spec_version</c> optional).
/// </summary>
public static class Stix20Detection
{
    public static bool IsStix20(JsonObject obj)
    {
        var type = obj["type"] is JsonValue t && t.TryGetValue(out string? s) ? s : null;
        if (type is null)
        {
            return false; // not an object of any version: the validator says why
        }
        return obj["spec_version"] switch
        {
            null => !StixTypes.IsObservable(type),
            JsonValue v when v.TryGetValue(out string? version) => version == "2.0",
            _ => false,
        };
    }
}
