using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

/// <summary>
/// Whether a sighting may revive an indicator. A revival shows every reader of the indicator that it was sighted then
/// (its score and revivedAt move), so it is allowed only when every reader of the indicator may also see the sighting —
/// conservatively: a CLEAR sighting; a GREEN one of a non-CLEAR indicator; or one of the indicator's own organisation,
/// no stricter, shared with at least its recipients (for RED: by the same member). Otherwise a hidden sighting would
/// announce itself through the indicator.
/// </summary>
public static class SightingRevival
{
    public static bool Allowed(AccessDescriptor sighting, AccessDescriptor indicator) => sighting.Tlp switch
    {
        TlpLevel.Clear => true,
        TlpLevel.Green => indicator.Tlp != TlpLevel.Clear,
        _ => sighting.OwnerOrg == indicator.OwnerOrg && sighting.Tlp <= indicator.Tlp
             && indicator.Recipients.All(sighting.Recipients.Contains)
             && (sighting.Tlp != TlpLevel.Red || sighting.OwnerMember == indicator.OwnerMember),
    };
}
