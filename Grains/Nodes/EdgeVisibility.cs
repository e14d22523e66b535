using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>An edge is visible when the caller may see the object that declared it (edges without access: system only)
/// and, where the edge keeps who may see its peer (<see cref="Edge.PeerAccess"/>), the peer. Edges written before
/// peers' access was kept have none: the traversal worker asks those peers.</summary>
public static class EdgeVisibility
{
    public static Func<Edge, bool> For(AccessPolicy policy, CallerIdentity caller)
    {
        var access = policy.For(caller);
        return e => (e.Access is { } a ? access.CanSee(a) : caller.IsSystem)
                    && (e.PeerAccess is not { } peer || AccessSummary.Admits(access, caller, peer));
    }
}
