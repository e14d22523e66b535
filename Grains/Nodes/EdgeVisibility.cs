using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Nodes;

/// <summary>An edge is visible when the caller may see the object that declared it (edges without access: system only).
/// Peers are checked by the traversal worker.</summary>
public static class EdgeVisibility
{
    public static Func<Edge, bool> For(AccessPolicy policy, CallerIdentity caller) =>
        e => e.Access is { } a ? policy.CanSee(caller, a) : caller.IsSystem;
}
