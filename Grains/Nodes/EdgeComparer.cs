using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Value equality for edges (records compare lists by reference).</summary>
public static class EdgeComparer
{
    public static bool Same(Edge a, Edge b) =>
        a.EdgeId == b.EdgeId && a.Kind == b.Kind && a.PeerId == b.PeerId && a.Direction == b.Direction &&
        a.Revoked == b.Revoked && a.Markings.SequenceEqual(b.Markings) && AccessSummary.SameAccess(a.Access, b.Access)
        && AccessSummary.Same(a.PeerAccess, b.PeerAccess);
}
