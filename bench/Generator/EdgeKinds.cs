namespace ThreatGraph.Bench.Generator;

/// <summary>Which edges each workload walks. Shared by every system so that all of them answer the same question.</summary>
public static class EdgeKinds
{
    public const string PatternNames = "pattern-names";

    /// <summary>Shortest path walks threat relationships only, not provenance (created_by_ref, a report's object_refs,
    /// where_sighted_refs): two incidents are "connected" through shared infrastructure, malware, actors.</summary>
    public static readonly IReadOnlySet<string> Path = new HashSet<string>(StringComparer.Ordinal)
    {
        "indicates", "uses", "attributed-to", "targets", "related-to", "resolves_to_refs", PatternNames, "sighting_of_ref", "sample_refs",
    };

    /// <summary>Campaigns are linked when an observable is named by indicators of both (transitively): walk
    /// indicates and pattern-names among campaigns, indicators and indicator-named observables.</summary>
    public static readonly IReadOnlySet<string> Link = new HashSet<string>(StringComparer.Ordinal) { "indicates", PatternNames };

    public static readonly IReadOnlySet<string> LinkNodeTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "campaign", "indicator", "ipv4-addr", "domain-name", "url",
    };

    public static bool IsLink(string kind, string sourceType, string targetType) =>
        Link.Contains(kind) && LinkNodeTypes.Contains(sourceType) && LinkNodeTypes.Contains(targetType);
}
