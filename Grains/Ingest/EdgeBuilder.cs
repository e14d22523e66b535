using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Patterning;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Ingest;

/// <summary>Turns a STIX object into the edges it declares.</summary>
public static class EdgeBuilder
{
    /// <summary>Edge kind from an indicator to an observable its pattern names (<c>[ipv4-addr:value = '…']</c>).</summary>
    public const string PatternNames = "pattern-names";

    /// <summary>Edge kind from an SCO sent with a random or non-normalised id to its canonical observable node.</summary>
    public const string AliasOf = "alias-of";

    /// <summary>Observable properties that alone determine the SCO's deterministic id, so a pattern comparison on them
    /// names exactly one observable node.</summary>
    static readonly Dictionary<string, string> SinglePropertyIds = new(StringComparer.Ordinal)
    {
        ["ipv4-addr"] = "value", ["ipv6-addr"] = "value", ["domain-name"] = "value", ["url"] = "value",
        ["email-addr"] = "value", ["mac-addr"] = "value", ["mutex"] = "name", ["autonomous-system"] = "number",
    };

    /// <summary>Out-edges the object itself owns: embedded refs and, for indicators, the observables its pattern names.</summary>
    /// <param name="aliases">Observable alias ids → canonical ids: a ref to an alias becomes an edge to the canonical node.</param>
    public static IReadOnlyList<Edge> OwnEdges(StixObject obj, IReadOnlyList<string> markings, AccessDescriptor access,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        var edges = new Dictionary<string, Edge>(StringComparer.Ordinal);
        // An observable is shared: each organisation's report of it declares its own refs (README "Who sees what").
        var reporter = StixTypes.IsObservable(obj.Type) ? access.OwnerOrg : null;
        foreach (var embedded in obj.EmbeddedRefs())
        {
            var r = embedded with { TargetId = Canonical(embedded.TargetId, aliases) };
            if (r.TargetId == obj.Id || !StixId.IsValid(r.TargetId))
            {
                // Self-refs are no edges; a malformed custom ref (ATT&CK has x_mitre_data_source_ref: "") is kept in the
                // JSON, reported by validation, and linked to nothing.
                continue;
            }
            var e = new Edge(Edge.RefEdgeId(obj.Id, r.Property, r.TargetId, reporter), r.Property, r.TargetId, EdgeDirection.Out, markings, Access: access);
            edges.TryAdd(e.Key, e);
        }
        if (obj.Type == "indicator" && obj.GetString("pattern_type") == "stix" && obj.GetString("pattern") is { } pattern)
        {
            foreach (var target in PatternObservables(pattern).Select(o => o.Id))
            {
                var e = new Edge(Edge.RefEdgeId(obj.Id, PatternNames, target), PatternNames, target, EdgeDirection.Out, markings, Access: access);
                edges.TryAdd(e.Key, e);
            }
        }
        if (StixTypes.IsObservable(obj.Type) && ObservableNormalizer.CanonicalId(obj.Json) is { } canonical && canonical != obj.Id)
        {
            // An SCO sent with a random (or non-normalised) id: its node stays (refs to it resolve), linked to the canonical one.
            var e = new Edge(Edge.RefEdgeId(obj.Id, AliasOf, canonical, reporter), AliasOf, canonical, EdgeDirection.Out, markings, Access: access);
            edges.TryAdd(e.Key, e);
        }
        return [.. edges.Values];
    }

    /// <summary>The edge a relationship SRO stands for, as seen from its source (Out). Null when it is not a relationship.</summary>
    public static (string SourceId, Edge Edge)? RelationshipEdge(StixObject obj, IReadOnlyList<string> markings,
        AccessDescriptor access, IReadOnlyDictionary<string, string>? aliases = null)
    {
        if (obj.Kind != StixKind.Relationship || obj.GetString("source_ref") is not { } source
            || obj.GetString("target_ref") is not { } target || obj.GetString("relationship_type") is not { } kind)
        {
            return null;
        }
        source = Canonical(source, aliases);
        target = Canonical(target, aliases);
        return (source, new Edge(obj.Id, kind, target, EdgeDirection.Out, markings, obj.Revoked, access));
    }

    static string Canonical(string id, IReadOnlyDictionary<string, string>? aliases) =>
        aliases is not null && aliases.TryGetValue(id, out var canonical) ? canonical : id;

    /// <summary>The observables a STIX pattern names by equality on a single id-determining property, with the
    /// canonical node id (of the normalised value) and the normalised value.</summary>
    public static IEnumerable<(string Id, string Type, string Property, string Value)> PatternObservables(string pattern)
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
