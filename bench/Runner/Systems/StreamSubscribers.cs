using Orleans.Streams;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>
/// Subscribers as a trusted service gets them: subscriptions of the Orleans client to the campaign streams the
/// cluster grain publishes on (<see cref="StorageNames.Streams"/>, namespace <see cref="CorrelationStreams.Campaign"/>),
/// one handle each. They receive the system's view of each update: no per-subscriber visibility recomputation, which
/// the gateway does for every event. Like the gateway, it registers its campaigns with <see cref="StreamWatches"/>: cluster
/// grains publish only watched campaigns.
/// </summary>
public sealed class StreamSubscribers : IAsyncDisposable
{
    readonly List<StreamSubscriptionHandle<CampaignUpdate>> _handles = [];
    readonly List<IDisposable> _watched = [];
    StreamWatches? _watches;

    public static async Task<StreamSubscribers> OpenAsync(IClusterClient client, IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch)
    {
        var subscribers = new StreamSubscribers { _watches = new StreamWatches(client) };
        var provider = client.GetStreamProvider(StorageNames.Streams);
        var number = 0;
        foreach (var campaign in campaignIds)
        {
            subscribers._watched.Add(await subscribers._watches.WatchCampaignAsync(campaign));
            var stream = provider.GetStream<CampaignUpdate>(StreamId.Create(CorrelationStreams.Campaign, campaign));
            for (var k = 0; k < perCampaign; k++)
            {
                var me = number++;
                subscribers._handles.Add(await stream.SubscribeAsync(
                    (update, _) =>
                    {
                        watch.Deliver(me, update.CampaignId, update.NewMemberIds);
                        return Task.CompletedTask;
                    },
                    _ =>
                    {
                        watch.Break();
                        return Task.CompletedTask;
                    }));
            }
        }
        return subscribers;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var handle in _handles)
        {
            await handle.UnsubscribeAsync();
        }
        if (_watches is not null)
        {
            await _watches.DisposeAsync();
        }
    }
}
