using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.GraphApi.Schema.Types;
using ThreatGraph.GraphApi.Security;
using ThreatGraph.GraphApi.Subscriptions;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Live updates over graphql-transport-ws, fed by the Orleans streams the cluster grain publishes on.</summary>
public sealed class ThreatGraphSubscription : ObjectGraphType
{
    /// <summary>Events buffered per subscriber before the oldest are dropped: a slow subscriber never holds up ingest.</summary>
    public const int BufferSize = 256;

    public ThreatGraphSubscription()
    {
        Name = "Subscription";

        Field<NonNullGraphType<CampaignUpdateGraphType>>("campaignUpdated")
            .Description("Changes to a campaign's cluster: new member, new link to another campaign, merge, split, severity change. "
                + "The first event (kinds: [SUBSCRIBED]) is the current state, sent once the subscription is live.")
            .Argument<NonNullGraphType<IdGraphType>>("campaignId")
            .ResolveStreamAsync(async c =>
            {
                var id = Arguments.StixId(c, "campaignId");
                if (await CommonFields.Loader(c).LoadNowAsync(id, c.CancellationToken) is null)
                {
                    throw new ExecutionError($"no campaign {id}") { Code = "NOT_FOUND" }; // the same for invisible and unknown
                }
                var client = c.RequestServices!.GetRequiredService<IClusterClient>();
                var visible = new VisibleEvents(client, c.RequestServices!.GetRequiredService<SharedClusterViews>(), ThreatGraphClaims.Caller(c.User), CorrelationQueryFields.MaxTraversalNodes);
                // Cluster grains publish a campaign's updates only while someone watches it.
                var watch = await c.RequestServices!.GetRequiredService<StreamWatches>().WatchCampaignAsync(id);
                ClusterView? current;
                try
                {
                    current = await client.GetGrain<ICorrelationGrain>(0).GetClusterAsync(id, 0, 0);
                }
                catch
                {
                    watch.Dispose();
                    throw;
                }
                var first = new CampaignUpdate(id, [CampaignUpdateKind.Subscribed], current?.Id ?? "", current?.Size ?? 1,
                    [.. (current?.Campaigns ?? []).Where(x => x != id)], [], [], [], [], current?.Severity ?? "NONE", DateTimeOffset.UtcNow);
                return await StreamObservable.SubscribeAsync<CampaignUpdate>(client,
                    StreamId.Create(CorrelationStreams.Campaign, id), BufferSize, first, e => visible.CampaignUpdateAsync(e, id), watch);
            });

        Field<NonNullGraphType<ClusterMergedGraphType>>("clusterMerged")
            .Description("Two clusters of two or more members each became one (the smaller merged into the larger).")
            .ResolveStreamAsync(async c =>
            {
                var client = c.RequestServices!.GetRequiredService<IClusterClient>();
                var visible = new VisibleEvents(client, c.RequestServices!.GetRequiredService<SharedClusterViews>(), ThreatGraphClaims.Caller(c.User), CorrelationQueryFields.MaxTraversalNodes);
                var watch = await c.RequestServices!.GetRequiredService<StreamWatches>().WatchClusterMergesAsync();
                return await StreamObservable.SubscribeAsync<ClusterMerged>(client,
                    StreamId.Create(CorrelationStreams.ClusterMerged, CorrelationStreams.AllKey), BufferSize, map: visible.ClusterMergedAsync, watch: watch);
            });
    }
}
