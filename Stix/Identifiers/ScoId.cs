using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Identifiers;

/// <summary>PLACEHOLDER until deterministic ids land (being written now).</summary>
public static class ScoId
{
    /// <summary>The deterministic id (UUIDv5 in the STIX namespace over the id-contributing properties), or null when
    /// the object has none of its type's id-contributing properties (then STIX says use a UUIDv4).</summary>
    public static string? Compute(JsonObject sco) => null;
}
