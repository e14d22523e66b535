using ThreatGraph.Grains.Model;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Value equality for edges (records compare lists by reference).</summary>
public static class EdgeComparer
{
    public static bool Same(Edge a, Edge b) =>
        a.EdgeId == b.EdgeId && a.Kind == b.Kind && a.PeerId == b.PeerId && a.Direction == b.Direction &&
        a.Revoked == b.Revoked && a.Markings.SequenceEqual(b.Markings) && SameAccess(a.Access, b.Access);

    static bool SameAccess(Security.AccessDescriptor? a, Security.AccessDescriptor? b) =>
        a is null || b is null ? a == b : a.Tlp == b.Tlp && a.OwnerOrg == b.OwnerOrg && a.OwnerMember == b.OwnerMember && a.Recipients.SequenceEqual(b.Recipients);
}
