using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// An organisation's own identity objects (<c>Community:Organisations:&lt;org&gt;:IdentityIds</c>) speak for it: only
/// that organisation may report them or name them as <c>created_by_ref</c>, so no one can publish in another
/// government's name. Identities of third parties (MITRE, vendors) are not constrained.
/// </summary>
public static class OrganisationIdentities
{
    /// <returns>The property and the reason when <paramref name="caller"/> may not send <paramref name="obj"/>.</returns>
    public static (string Path, string Message)? Refusal(StixObject obj, CallerIdentity caller, CommunityOptions community)
    {
        if (caller.IsSystem)
        {
            return null; // federation keeps the origin's reporter; the origin already applied this rule
        }
        if (OwnerOf(obj.Id, community) is { } idOwner && idOwner != caller.Org)
        {
            return ("id", $"this is {idOwner}'s own identity: only {idOwner} may send it");
        }
        if (obj.CreatedByRef is { } creator && OwnerOf(creator, community) is { } creatorOwner && creatorOwner != caller.Org)
        {
            return ("created_by_ref", $"names {creatorOwner}'s own identity: only {creatorOwner} may publish as {creatorOwner}");
        }
        return null;
    }

    static string? OwnerOf(string identityId, CommunityOptions community) =>
        community.Organisations.FirstOrDefault(o => o.Value.IdentityIds.Contains(identityId)).Key;
}
