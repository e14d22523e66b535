using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Patterning;

namespace ThreatGraph.Stix.Edges;

/// <summary>The edges a STIX object declares: its embedded refs, the observables an indicator's pattern names, the
/// canonical node of an SCO sent under another id, and the edge a relationship stands for. Pure STIX: who may see an
/// edge is the graph's business (it adds markings and access when it stores them).</summary>
public static class DeclaredEdges
{
    /// <summary>Edge kind from an indicator to an observable its pattern names (<c>[ipv4-addr:value = '…']</c>).</summary>
    public const string PatternNames = "pattern-names";

    /// <summary>Edge kind from an SCO sent with a random or non-normalised id to its canonical observable node.</summary>
    public const string AliasOf = "alias-of";

    /// <summary>The id of an embedded-ref edge. <paramref name="reporter"/>: for an observable, the organisation whose
    /// report declares it (each organisation's report of a shared observable has its own refs).</summary>
    public static string RefId(string sourceId, string property, string targetId, string? reporter = null) =>
        reporter is null ? $"ref:{sourceId}|{property}|{targetId}" : $"ref:{sourceId}|{property}|{targetId}|{reporter}";

    /// <summary>Edges the object itself owns: embedded refs and, for indicators, the observables its pattern names.</summary>
    /// <param name="reporterOrg">The organisation reporting the object: an observable is shared, so each organisation's
    /// report of it declares its own refs (README "Who sees what").</param>
    /// <param name="aliases">Observable alias ids → canonical ids: a ref to an alias becomes an edge to the canonical node.</param>
    public static IReadOnlyList<DeclaredEdge> Own(StixObject obj, string reporterOrg, IReadOnlyDictionary<string, string>? aliases = null)
    {
        var edges = new Dictionary<string, DeclaredEdge>(StringComparer.Ordinal);
        var reporter = StixTypes.IsObservable(obj.Type) ? reporterOrg : null;
        foreach (var embedded in obj.EmbeddedRefs())
        {
            var target = Canonical(embedded.TargetId, aliases);
            if (target == obj.Id || !StixId.IsValid(target))
            {
                // Self-refs are no edges; a malformed custom ref (ATT&CK has x_mitre_data_source_ref: "") is kept in the
                // JSON, reported by validation, and linked to nothing.
                continue;
            }
            Add(edges, new DeclaredEdge(RefId(obj.Id, embedded.Property, target, reporter), embedded.Property, obj.Id, target));
        }
        if (obj.Type == "indicator" && obj.GetString("pattern_type") == "stix" && obj.GetString("pattern") is { } pattern)
        {
            foreach (var target in PatternObservables.Of(pattern).Select(o => o.Id))
            {
                Add(edges, new DeclaredEdge(RefId(obj.Id, PatternNames, target), PatternNames, obj.Id, target));
            }
        }
        if (StixTypes.IsObservable(obj.Type) && ObservableNormalizer.CanonicalId(obj.Json) is { } canonical && canonical != obj.Id)
        {
            // An SCO sent with a random (or non-normalised) id: its node stays (refs to it resolve), linked to the canonical one.
            Add(edges, new DeclaredEdge(RefId(obj.Id, AliasOf, canonical, reporter), AliasOf, obj.Id, canonical));
        }
        return [.. edges.Values];
    }

    /// <summary>The edge a relationship SRO stands for (its id is the relationship's). Null when it is not a relationship.</summary>
    public static DeclaredEdge? Relationship(StixObject obj, IReadOnlyDictionary<string, string>? aliases = null)
    {
        if (obj.Kind != StixKind.Relationship || obj.GetString("source_ref") is not { } source
            || obj.GetString("target_ref") is not { } target || obj.GetString("relationship_type") is not { } kind)
        {
            return null;
        }
        return new DeclaredEdge(obj.Id, kind, Canonical(source, aliases), Canonical(target, aliases));
    }

    /// <summary>The first declaration of an id stands (a ref listed twice is one edge).</summary>
    static void Add(Dictionary<string, DeclaredEdge> edges, DeclaredEdge edge) => edges.TryAdd(edge.Id, edge);

    static string Canonical(string id, IReadOnlyDictionary<string, string>? aliases) =>
        aliases is not null && aliases.TryGetValue(id, out var canonical) ? canonical : id;
}
