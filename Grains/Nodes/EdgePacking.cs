using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>
/// An edge as a node or shard stores it: no per-edge key string, no id where it can be derived, and who declared it and
/// who may see its peer as indexes into the state's small tables (a node's edges share a handful of each).
/// </summary>
/// <param name="EdgeId">Only when it is not the id <see cref="EdgePacking"/> derives (a relationship's or sighting's id,
/// or an unusual ref).</param>
/// <param name="Flags">1: Out (else In); 2: revoked; 4: the peer's access is kept (<see cref="Summary"/> is meaningful).</param>
[GenerateSerializer, Immutable, Alias("tg.StoredEdge")]
public readonly record struct StoredEdge(
    [property: Id(0)] string PeerId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? EdgeId,
    [property: Id(3)] byte Flags,
    [property: Id(4)] short Declarer,
    [property: Id(5)] short Summary);

/// <summary>Who declared an edge (its access) and the markings of the declaring object.</summary>
[GenerateSerializer, Immutable, Alias("tg.EdgeDeclarer")]
public sealed record EdgeDeclarer([property: Id(0)] AccessDescriptor? Access, [property: Id(1)] IReadOnlyList<string> Markings);

/// <summary>The packed form of a list of edges (see <see cref="StoredEdge"/>).</summary>
[GenerateSerializer, Alias("tg.PackedEdges")]
public sealed class PackedEdges
{
    [Id(0)] public List<StoredEdge> Edges { get; set; } = [];
    [Id(1)] public List<EdgeDeclarer> Declarers { get; set; } = [];
    [Id(2)] public List<IReadOnlyList<AccessDescriptor>> Summaries { get; set; } = [];
}

/// <summary>
/// Packs edges for storage and unpacks them on activation (issue 13: compact state). An embedded ref's id is derived
/// from its ends and kind (<see cref="Edge.RefEdgeId"/>; an observable's ref also names its reporter, the declarer's
/// organisation); declarers and peer access summaries are shared through tables, and on unpacking the edges share
/// those objects in memory too.
/// </summary>
public static class EdgePacking
{
    const byte Out = 1, Revoked = 2, HasSummary = 4;

    public static PackedEdges Pack(string selfId, IEnumerable<Edge> edges)
    {
        var packed = new PackedEdges();
        var declarers = new Dictionary<(AccessDescriptor?, string), short>();
        var summaries = new List<IReadOnlyList<AccessDescriptor>>();
        foreach (var e in edges)
        {
            var markingsKey = string.Join('\n', e.Markings);
            var declarerKey = (Canonical(packed, e.Access), markingsKey);
            if (!declarers.TryGetValue(declarerKey, out var d))
            {
                d = (short)packed.Declarers.Count;
                declarers[declarerKey] = d;
                packed.Declarers.Add(new EdgeDeclarer(e.Access, e.Markings));
            }
            short s = -1;
            if (e.PeerAccess is { } peerAccess)
            {
                s = (short)summaries.FindIndex(x => AccessSummary.Same(x, peerAccess));
                if (s < 0)
                {
                    s = (short)summaries.Count;
                    summaries.Add(peerAccess);
                }
            }
            var derived = DerivedId(selfId, e.Kind, e.PeerId, e.Direction, e.Access);
            packed.Edges.Add(new StoredEdge(e.PeerId, e.Kind, e.EdgeId == derived ? null : e.EdgeId,
                (byte)((e.Direction == EdgeDirection.Out ? Out : 0) | (e.Revoked ? Revoked : 0) | (s >= 0 ? HasSummary : 0)), d, s));
        }
        packed.Summaries = summaries;
        return packed;
    }

    public static IEnumerable<Edge> Unpack(string selfId, PackedEdges packed)
    {
        foreach (var s in packed.Edges)
        {
            var declarer = packed.Declarers[s.Declarer];
            var direction = (s.Flags & Out) != 0 ? EdgeDirection.Out : EdgeDirection.In;
            var kind = string.Intern(s.Kind);
            yield return new Edge(s.EdgeId ?? DerivedId(selfId, kind, s.PeerId, direction, declarer.Access), kind, s.PeerId, direction,
                declarer.Markings, (s.Flags & Revoked) != 0, declarer.Access,
                (s.Flags & HasSummary) != 0 ? packed.Summaries[s.Summary] : null);
        }
    }

    /// <summary>The id an embedded ref between these ends would have (<see cref="Ingest.EdgeBuilder"/>).</summary>
    static string DerivedId(string selfId, string kind, string peerId, EdgeDirection direction, AccessDescriptor? access)
    {
        var (source, target) = direction == EdgeDirection.Out ? (selfId, peerId) : (peerId, selfId);
        var reporter = StixTypes.IsObservable(StixTypes.TypeOfId(source) ?? "") ? access?.OwnerOrg : null;
        return Edge.RefEdgeId(source, kind, target, reporter);
    }

    /// <summary>Equal descriptors (records compare their lists by reference) are keyed by the first one seen.</summary>
    static AccessDescriptor? Canonical(PackedEdges packed, AccessDescriptor? access) =>
        access is null ? null : packed.Declarers.Select(d => d.Access).FirstOrDefault(a => AccessSummary.SameAccess(a, access)) ?? access;
}
