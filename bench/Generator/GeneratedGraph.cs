using System.Text.Json.Nodes;

namespace ThreatGraph.Bench.Generator;

/// <summary>A node: every STIX object except <c>relationship</c> (sightings and reports are nodes).</summary>
public sealed record GenNode(string Id, string Type, string Name);

/// <summary>An edge exactly as ThreatGraph stores it: a relationship SRO (id = SRO id, kind = relationship_type),
/// an embedded ref (id = <c>ref:{source}|{property}|{target}</c>, kind = the property) or an indicator's pattern
/// naming an observable (kind <c>pattern-names</c>).</summary>
public sealed record GenEdge(string Id, string Kind, string Source, string Target);

/// <summary>Two campaigns of one planted cluster share an observable: indicator A (indicates campaign A) and
/// indicator B (indicates campaign B) both name it.</summary>
public sealed record PlantedLink(string CampaignA, string CampaignB, string Observable, string IndicatorA, string IndicatorB);

/// <summary>What the generator knows by construction, so every workload can be checked.</summary>
public sealed record GraphTruth(
    IReadOnlyList<IReadOnlyList<string>> CampaignClusters,
    IReadOnlyList<PlantedLink> Links,
    IReadOnlyList<string> Resolvers,
    IReadOnlyList<string> PopularMalware,
    IReadOnlyList<string> IslandIncidents,
    IReadOnlyList<string> Reporters);

public sealed class GeneratedGraph
{
    public required int Seed { get; init; }
    public required GraphSize Size { get; init; }

    /// <summary>Every STIX object, in write order (nodes by type, then relationships).</summary>
    public required IReadOnlyList<JsonObject> Objects { get; init; }
    public required IReadOnlyList<GenNode> Nodes { get; init; }
    public required IReadOnlyList<GenEdge> Edges { get; init; }
    public required GraphTruth Truth { get; init; }
}
