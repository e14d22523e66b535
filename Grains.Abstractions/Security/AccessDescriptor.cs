using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Contracts.Security;

/// <summary>
/// What the access policy needs to know about an object (or an edge, from the object that declared it):
/// its TLP level, who reported it, and whom it was explicitly shared with.
/// </summary>
/// <param name="Tlp">The strictest TLP 2.0 marking of the object, or the reporting organisation's default.</param>
/// <param name="OwnerOrg">The organisation that reported the object to this deployment.</param>
/// <param name="OwnerMember">The member (credential) that reported it.</param>
/// <param name="Recipients">Organisations (e.g. <c>us-cisa</c>) and, for TLP:RED, members (e.g. <c>us-cisa/alice</c>)
/// named in the object's <c>x_threatgraph_recipients</c>.</param>
/// <param name="Deployment">Provenance: the deployment the object was first reported to, when it came from a peer by
/// federation (null: reported to this deployment).</param>
/// <param name="ReportedAt">Provenance: when it was added there (its TAXII date_added at the origin); null when local.</param>
[GenerateSerializer, Immutable, Alias("tg.AccessDescriptor")]
public sealed record AccessDescriptor(
    [property: Id(0)] TlpLevel Tlp,
    [property: Id(1)] string OwnerOrg,
    [property: Id(2)] string OwnerMember,
    [property: Id(3)] IReadOnlyList<string> Recipients,
    [property: Id(4)] string? Deployment = null,
    [property: Id(5)] DateTimeOffset? ReportedAt = null)
{
    /// <summary>The STIX property that names recipients.</summary>
    public const string RecipientsProperty = "x_threatgraph_recipients";

    /// <summary>Written by the platform itself without a reporter (internal callers): visible to the system only.</summary>
    public static readonly AccessDescriptor SystemOnly = new(TlpLevel.Red, CallerIdentity.SystemOrg, CallerIdentity.SystemOrg, []);
}
