using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Tests;

/// <summary>Edges stored packed (derived ids, shared tables) come back exactly as they were.</summary>
public sealed class EdgePackingTests
{
    static readonly AccessDescriptor Jp = new(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", []);
    static readonly AccessDescriptor JpRed = new(TlpLevel.Red, "jp-nisc", "jp-nisc/analyst1", ["us-cisa/analyst1"]);
    static readonly AccessDescriptor Us = new(TlpLevel.Amber, "us-cisa", "us-cisa/analyst1", ["jp-nisc"]);

    [Fact]
    public void Every_kind_of_edge_round_trips_and_derived_ids_are_not_stored()
    {
        const string self = "domain-name--0b6a2e42-2f1c-5d9b-a4b1-5d8c1b0e7f11";
        const string ip = "ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3";
        const string indicator = "indicator--5d48552d-2555-4835-9545-5f607edc59ca";
        var edges = new List<Edge>
        {
            // an observable's ref, one per reporting organisation (the id names it)
            new(Edge.RefEdgeId(self, "resolves_to_refs", ip, "jp-nisc"), "resolves_to_refs", ip, EdgeDirection.Out, [Tlp.RedId], Access: JpRed, PeerAccess: [Jp]),
            new(Edge.RefEdgeId(self, "resolves_to_refs", ip, "us-cisa"), "resolves_to_refs", ip, EdgeDirection.Out, [Tlp.AmberId], Access: Us, PeerAccess: [Jp, Us]),
            // an indicator's pattern naming this observable (an SDO's ref: no organisation in the id)
            new(Edge.RefEdgeId(indicator, "pattern-names", self), "pattern-names", indicator, EdgeDirection.In, [], Access: Jp, PeerAccess: [Jp]),
            // a relationship edge (its id is the SRO's), revoked, without the peer's access (written before it was kept)
            new("relationship--" + Guid.NewGuid(), "uses", "malware--" + Guid.NewGuid(), EdgeDirection.Out, [Tlp.GreenId], Revoked: true, Access: Jp),
            // an edge nobody's access (the system's)
            new(Edge.RefEdgeId(self, "alias-of", ip, "x-org"), "alias-of", ip, EdgeDirection.Out, []),
        };

        var packed = EdgePacking.Pack(self, edges);
        Assert.Equal(2, packed.Edges.Count(e => e.EdgeId is not null)); // the relationship's, and the one without access
        Assert.Equal(5, packed.Declarers.Count); // (access, markings) pairs: JP RED, US AMBER, JP unmarked, JP GREEN, nobody
        Assert.Equal(2, packed.Summaries.Count);
        var back = EdgePacking.Unpack(self, packed).ToList();
        Assert.Equal(edges.Count, back.Count);
        for (var i = 0; i < edges.Count; i++)
        {
            Assert.True(EdgeComparer.Same(edges[i], back[i]), $"edge {i}: {edges[i]} came back as {back[i]}");
        }
    }
}
