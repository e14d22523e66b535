using ThreatGraph.Stix;

namespace ThreatGraph.Contracts.Correlation;

/// <summary>
/// Cluster ids as callers see them. A member's cluster is the component of its links that the caller may see, which
/// may be smaller than the system's cluster; its id must not tell that anything is hidden, so it is named after a
/// member the caller sees: <c>cluster--{first campaign id}</c> (ordinal order), else <c>cluster--{first member id}</c>.
/// Such an id resolves to the caller's cluster of that member. The system's own ids (<c>cluster--{uuid}</c>) are
/// shown to system callers only.
/// </summary>
public static class ClusterIds
{
    public const string Prefix = "cluster--";

    public static string ViewId(IEnumerable<string> members)
    {
        string? campaign = null, first = null;
        foreach (var m in members)
        {
            if (first is null || string.CompareOrdinal(m, first) < 0) first = m;
            if (m.StartsWith("campaign--", StringComparison.Ordinal) && (campaign is null || string.CompareOrdinal(m, campaign) < 0)) campaign = m;
        }
        return Prefix + (campaign ?? first ?? "");
    }

    /// <summary>The member a view id is named after; null for a system id or anything else.</summary>
    public static string? MemberOf(string clusterId) =>
        clusterId.StartsWith(Prefix, StringComparison.Ordinal) && clusterId[Prefix.Length..] is var rest && StixId.IsValid(rest) ? rest : null;
}
