using ThreatGraph.Contracts.Security;
using ThreatGraph.Enrichment.Hosting;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>Who the jobs are: the organisation member grains see in the RequestContext, and the STIX identity they
/// write as.</summary>
public sealed record JobIdentity(CallerIdentity Caller, string IdentityId)
{
    public static JobIdentity From(EnrichmentOptions options) =>
        new(new CallerIdentity(options.Org, options.Member, "enrichment-host", [.. options.Roles]), options.IdentityId);

    /// <summary>Puts the job's identity into the RequestContext of this async flow: every grain call after it is the job's.</summary>
    public void Enter() => CallerContext.Set(Caller);
}
