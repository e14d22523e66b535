using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.Contracts.Federation;

namespace ThreatGraph.GraphApi.Schema;

/// <summary><c>federationPeers</c>: the sync state of the peers that pull for the caller's organisation (its members and
/// auditors; never another organisation's).</summary>
public static class FederationQueryFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<FederationPeerGraphType>>>>("federationPeers")
            .Description("Peer deployments this one pulls from over TAXII for your organisation: last successful sync, lag, errors.")
            .ResolveAsync(async c =>
            {
                if (CallerContext.Current.IsAnonymous)
                {
                    throw new ExecutionError("federationPeers needs an organisation's credentials") { Code = "FORBIDDEN" };
                }
                // Counts and errors describe what the receiving organisation was sent: its members and auditors see them,
                // nobody else (an auditor of another organisation included).
                var caller = CallerContext.Current;
                var peers = c.RequestServices!.GetRequiredService<IOptions<FederationOptions>>().Value.Peers
                    .Where(p => p.ReceivingOrg == caller.Org);
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                return await Task.WhenAll(peers.Select(p => grains.GetGrain<IFederationPeerGrain>(p.Name).GetStatusAsync()));
            });
    }
}
