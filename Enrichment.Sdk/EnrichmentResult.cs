using System.Text.Json.Nodes;

namespace ThreatGraph.Enrichment;

/// <summary>STIX objects a job derived from one input (new SCOs, relationships, notes). The host adds
/// <c>created_by_ref</c> (SDOs/SROs) and the input's markings before writing them as one bundle.</summary>
public sealed record EnrichmentResult(IReadOnlyList<JsonObject> Objects)
{
    public static EnrichmentResult None { get; } = new([]);
}
