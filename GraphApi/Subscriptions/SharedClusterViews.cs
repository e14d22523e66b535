using System.Collections.Concurrent;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Subscriptions;

/// <summary>
/// One recomputation of a cluster per event and caller, shared by every subscriber with that identity: a dashboard
/// wall of 100 subscriptions under one key costs one <see cref="ICorrelationQueryGrain.ClusterAsync"/> per event, not
/// 100. Keyed by the caller's whole identity (what it may see depends on organisation, member and roles) and by the
/// event itself, so an entry is never reused for a later event; entries are dropped after a few seconds.
/// </summary>
public sealed class SharedClusterViews(IGrainFactory grains, TimeProvider clock)
{
    static readonly TimeSpan Keep = TimeSpan.FromSeconds(10);
    const int SweepAbove = 512;

    readonly ConcurrentDictionary<string, (Task<ClusterView?> View, DateTimeOffset At)> _views = new(StringComparer.Ordinal);

    public Task<ClusterView?> ForAsync(CallerIdentity caller, string campaignId, string eventKey, int maxNodes)
    {
        var now = clock.GetUtcNow();
        if (_views.Count > SweepAbove)
        {
            foreach (var (key, entry) in _views)
            {
                if (now - entry.At > Keep)
                {
                    _views.TryRemove(key, out _);
                }
            }
        }
        var id = $"{caller.Org}\n{caller.Member}\n{string.Join(',', caller.Roles)}\n{campaignId}\n{eventKey}";
        return _views.GetOrAdd(id, _ => (ComputeAsync(caller, campaignId, maxNodes), now)).View;
    }

    async Task<ClusterView?> ComputeAsync(CallerIdentity caller, string campaignId, int maxNodes)
    {
        await Task.Yield(); // leave GetOrAdd before calling out; the caller's identity goes with this flow only
        CallerContext.Set(caller);
        return await grains.GetGrain<ICorrelationQueryGrain>(0).ClusterAsync(campaignId, maxNodes);
    }
}
