using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Contracts.Security;

/// <summary>
/// THE access rule of ThreatGraph (TLP 2.0 over organisations). Every read path — node reads, edges, counts, search,
/// traversals, subscriptions, TAXII — asks this one class. See README "Who sees what".
/// </summary>
public sealed class AccessPolicy(CommunityOptions community)
{
    public CommunityOptions Community => community;

    public bool CanSee(CallerIdentity caller, AccessDescriptor access)
    {
        if (caller.HasRole(CallerIdentity.FederationRole))
        {
            return CanExport(caller, access);
        }
        if (caller.IsSystem || access.Tlp == TlpLevel.Clear)
        {
            return true;
        }
        if (caller.IsAnonymous || !community.Organisations.ContainsKey(caller.Org))
        {
            return false;
        }
        return access.Tlp switch
        {
            TlpLevel.Green => true,
            TlpLevel.Amber => caller.Org == access.OwnerOrg || access.Recipients.Contains(caller.Org) || IsClientOfRecipient(caller.Org, access),
            TlpLevel.AmberStrict => caller.Org == access.OwnerOrg || access.Recipients.Contains(caller.Org),
            // TLP:RED is for named individuals: the reporting member and the members named as recipients.
            TlpLevel.Red => caller.Member == access.OwnerMember || access.Recipients.Contains(caller.Member),
            _ => false,
        };
    }

    /// <summary>
    /// What a peer deployment may pull (README "Share with a peer"): its key names the receiving organisation.
    /// CLEAR and GREEN leave; AMBER only when the receiving organisation is named; AMBER+STRICT and RED never leave.
    /// A key with <c>share:ORG</c> roles gets only what those organisations reported.
    /// </summary>
    static bool CanExport(CallerIdentity peer, AccessDescriptor access)
    {
        var shareable = access.Tlp switch
        {
            TlpLevel.Clear or TlpLevel.Green => true,
            TlpLevel.Amber => access.Recipients.Contains(peer.Org),
            _ => false,
        };
        var scoped = peer.Roles.Any(r => r.StartsWith(CallerIdentity.SharePrefix, StringComparison.Ordinal));
        return shareable && (!scoped || peer.HasRole(CallerIdentity.SharePrefix + access.OwnerOrg));
    }

    /// <summary>Visible when any of the reports of it is (an observable reported by several organisations).</summary>
    public bool CanSeeAny(CallerIdentity caller, IEnumerable<AccessDescriptor> accesses) => accesses.Any(a => CanSee(caller, a));

    /// <summary>The TLP an organisation's unmarked objects get.</summary>
    public TlpLevel DefaultTlpOf(string org) =>
        community.Organisations.TryGetValue(org, out var o) ? o.DefaultTlp : TlpLevel.Amber;

    bool IsClientOfRecipient(string org, AccessDescriptor access) =>
        access.Recipients.Any(r => community.Organisations.TryGetValue(r, out var o) && o.Clients.Contains(org));
}
