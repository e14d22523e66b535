using GraphQL.Types;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>Where an object comes from, as the caller may see it.</summary>
/// <param name="ReportedAt">When it arrived at <paramref name="Deployment"/>.</param>
/// <param name="ReceivedAt">When it arrived at this deployment (equal to ReportedAt for local reports).</param>
/// <param name="Identity">The object's own created_by_ref (the identity that authored it), when it names one.</param>
public sealed record ObjectProvenance(string Deployment, string Organisation, string Tlp, DateTimeOffset? ReportedAt, DateTimeOffset? ReceivedAt,
    string? Identity = null);

public sealed class ProvenanceGraphType : ObjectGraphType<ObjectProvenance>
{
    public ProvenanceGraphType()
    {
        Name = "Provenance";
        Description = "Who reported the object, to which deployment, and when it arrived (README \"Share with a peer\").";
        Field<NonNullGraphType<StringGraphType>>("deployment").Description("The deployment it was first reported to (this one, or a federation peer).")
            .Resolve(c => c.Source.Deployment);
        Field<NonNullGraphType<StringGraphType>>("organisation").Description("The organisation that reported it.").Resolve(c => c.Source.Organisation);
        Field<NonNullGraphType<StringGraphType>>("tlp").Description("The TLP 2.0 level that decides who sees it: clear, green, amber, amber+strict, red.")
            .Resolve(c => c.Source.Tlp);
        Field<StringGraphType>("reportedAt").Resolve(c => Format(c.Source.ReportedAt));
        Field<StringGraphType>("receivedAt").Resolve(c => Format(c.Source.ReceivedAt));
        Field<StringGraphType>("identity").Description("The object's own created_by_ref, when it has one: the identity that authored it (for an object "
            + "from a plain TAXII server, the organisation above is the peer's configured one).").Resolve(c => c.Source.Identity);
    }

    static string? Format(DateTimeOffset? t) => t is { } v ? TaxiiTimestamp.Format(v) : null;

    public static ObjectProvenance? Of(StixNode node, FederationOptions federation) =>
        node.View.Access is not { } a ? null
        : new ObjectProvenance(a.Deployment ?? federation.Deployment, a.OwnerOrg, Provenance.NameOf(a.Tlp),
            a.ReportedAt ?? node.View.FirstSeen, node.View.FirstSeen, node.String("created_by_ref"));
}
