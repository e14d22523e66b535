namespace ThreatGraph.Contracts.Security;

/// <summary>
/// Who may see a node, in the form its peers keep on their edges (<see cref="Model.Edge.PeerAccess"/>): the current
/// access of each of its reports. Visible to a caller when any of them admits the caller. Empty: a placeholder (an id
/// referred to but not received), which hides nothing and is visible wherever an edge to it is.
/// </summary>
public static class AccessSummary
{
    public static bool Admits(AccessPolicy policy, CallerIdentity caller, IReadOnlyList<AccessDescriptor> summary) =>
        caller.IsSystem || summary.Count == 0 || policy.CanSeeAny(caller, summary);

    /// <summary><see cref="Admits(AccessPolicy, CallerIdentity, IReadOnlyList{AccessDescriptor})"/> with the caller's facts looked up once.</summary>
    public static bool Admits(AccessPolicy.CallerAccess access, CallerIdentity caller, IReadOnlyList<AccessDescriptor> summary) =>
        caller.IsSystem || summary.Count == 0 || access.CanSeeAny(summary);

    public static bool Same(IReadOnlyList<AccessDescriptor>? a, IReadOnlyList<AccessDescriptor>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a is null || b is null || a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!SameAccess(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    public static bool SameAccess(AccessDescriptor? a, AccessDescriptor? b) =>
        a is null || b is null ? a == b
            : a.Tlp == b.Tlp && a.OwnerOrg == b.OwnerOrg && a.OwnerMember == b.OwnerMember && a.Recipients.SequenceEqual(b.Recipients)
              && a.Deployment == b.Deployment && a.ReportedAt == b.ReportedAt;
}
