using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Contracts.Security;

/// <summary>
/// THE access rule of ThreatGraph (TLP 2.0 over organisations). Every read path — node reads, edges, counts, search,
/// traversals, subscriptions, TAXII — asks this one class. See README "Who sees what".
/// </summary>
public sealed class AccessPolicy(CommunityOptions community)
{
    public CommunityOptions Community => community;

    public bool CanSee(CallerIdentity caller, AccessDescriptor access) => For(caller).CanSee(access);

    public bool CanSeeAny(CallerIdentity caller, IEnumerable<AccessDescriptor> accesses) => For(caller).CanSeeAny(accesses);

    /// <summary>The rule bound to one caller: what depends only on the caller (roles, membership) is looked up once,
    /// so a read that checks thousands of edges pays per edge only for the TLP switch.</summary>
    public CallerAccess For(CallerIdentity caller) => new(this, caller);

    /// <summary>See <see cref="For"/>.</summary>
    public sealed class CallerAccess
    {
        readonly AccessPolicy _policy;
        readonly CallerIdentity _caller;
        readonly bool _federation;
        readonly bool _all;
        readonly bool _member;
        readonly bool _shareScoped;

        internal CallerAccess(AccessPolicy policy, CallerIdentity caller)
        {
            _policy = policy;
            _caller = caller;
            _federation = caller.HasRole(CallerIdentity.FederationRole);
            _all = !_federation && caller.IsSystem;
            _member = !caller.IsAnonymous && policy.Community.Organisations.ContainsKey(caller.Org);
            _shareScoped = caller.Roles.Any(r => r.StartsWith(CallerIdentity.SharePrefix, StringComparison.Ordinal));
        }

        public bool CanSee(AccessDescriptor access)
        {
            if (_federation)
            {
                return CanExport(access);
            }
            if (_all || access.Tlp == TlpLevel.Clear)
            {
                return true;
            }
            if (!_member)
            {
                return false;
            }
            return access.Tlp switch
            {
                TlpLevel.Green => true,
                TlpLevel.Amber => _caller.Org == access.OwnerOrg || access.Recipients.Contains(_caller.Org) || _policy.IsClientOfRecipient(_caller.Org, access),
                TlpLevel.AmberStrict => _caller.Org == access.OwnerOrg || access.Recipients.Contains(_caller.Org),
                // TLP:RED is for named individuals: the reporting member and the members named as recipients.
                TlpLevel.Red => _caller.Member == access.OwnerMember || access.Recipients.Contains(_caller.Member),
                _ => false,
            };
        }

        public bool CanSeeAny(IEnumerable<AccessDescriptor> accesses)
        {
            if (accesses is IReadOnlyList<AccessDescriptor> list)
            {
                for (var i = 0; i < list.Count; i++) // no enumerator or closure: this runs once per edge of a traversal
                {
                    if (CanSee(list[i]))
                    {
                        return true;
                    }
                }
                return false;
            }
            return accesses.Any(CanSee);
        }

        /// <summary>
        /// What a peer deployment may pull (README "Share with a peer"): its key names the receiving organisation.
        /// CLEAR and GREEN leave; AMBER only when the receiving organisation is named; AMBER+STRICT and RED never leave.
        /// A key with <c>share:ORG</c> roles gets only what those organisations reported.
        /// </summary>
        bool CanExport(AccessDescriptor access)
        {
            var shareable = access.Tlp switch
            {
                TlpLevel.Clear or TlpLevel.Green => true,
                TlpLevel.Amber => access.Recipients.Contains(_caller.Org),
                _ => false,
            };
            return shareable && (!_shareScoped || _caller.HasRole(CallerIdentity.SharePrefix + access.OwnerOrg));
        }
    }

    /// <summary>The TLP an organisation's unmarked objects get.</summary>
    public TlpLevel DefaultTlpOf(string org) =>
        community.Organisations.TryGetValue(org, out var o) ? o.DefaultTlp : TlpLevel.Amber;

    bool IsClientOfRecipient(string org, AccessDescriptor access) =>
        access.Recipients.Any(r => community.Organisations.TryGetValue(r, out var o) && o.Clients.Contains(org));
}
