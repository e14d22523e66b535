using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Federation;
using ThreatGraph.Grains.Security;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.GraphApi.Schema.Types;

namespace ThreatGraph.GraphApi.Schema;

/// <summary><c>federationPeers</c>: the sync state of every configured peer (members of the community only).</summary>
public static class FederationQueryFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<FederationPeerGraphType>>>>("federationPeers")
            .Description("Peer deployments this one pulls from over TAXII: last successful sync, lag, errors. Needs credentials.")
            .ResolveAsync(async c =>
            {
                if (CallerContext.Current.IsAnonymous)
                {
                    throw new ExecutionError("federationPeers needs an organisation's credentials") { Code = "FORBIDDEN" };
                }
                var peers = c.RequestServices!.GetRequiredService<IOptions<FederationOptions>>().Value.Peers;
                var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
                return await Task.WhenAll(peers.Select(p => grains.GetGrain<IFederationPeerGrain>(p.Name).GetStatusAsync()));
            });
    }
}
