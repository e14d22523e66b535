using Microsoft.Extensions.Logging;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The union of what every gateway watches (<see cref="IWatchDirectoryGrain"/>). Held in memory: holders renew within a
/// lease, so when the directory comes back after losing its activation it says <see cref="WatchSet.Complete"/> = false
/// for one lease and publishers publish everything meanwhile. Only the fact that it ran before is stored, so the first
/// activation of a cluster is complete at once. Kept active by its expiry timer, so it is not collected while idle.
/// </summary>
public sealed class WatchDirectoryGrain(
    [PersistentState("watchdirectory", StorageNames.Graph)] IPersistentState<WatchDirectoryState> state,
    TimeProvider time,
    ILogger<WatchDirectoryGrain> logger) : Grain, IWatchDirectoryGrain
{
    readonly Dictionary<string, (WatchList Watches, DateTimeOffset Until)> _holders = new(StringComparer.Ordinal);
    readonly Dictionary<IWatchSetObserver, DateTimeOffset> _observers = [];
    DateTimeOffset _completeAt;
    WatchSet _current = new([], false, false);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _completeAt = time.GetUtcNow() + (state.State.Started ? WatchLease.Duration : TimeSpan.Zero);
        _current = new WatchSet([], false, time.GetUtcNow() >= _completeAt);
        if (!state.State.Started)
        {
            state.State.Started = true;
            await state.WriteStateAsync(cancellationToken);
        }
        var tick = TimeSpan.FromSeconds(10);
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(tick, tick) { KeepAlive = true });
    }

    public async Task SetAsync(string holder, WatchList watches)
    {
        _holders[holder] = (watches, time.GetUtcNow() + WatchLease.Duration);
        await RecomputeAsync();
    }

    public Task<WatchSet> SubscribeAsync(IWatchSetObserver observer)
    {
        _observers[observer] = time.GetUtcNow() + WatchLease.ObserverDuration;
        return Task.FromResult(_current);
    }

    async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var gone in _holders.Where(h => h.Value.Until <= now).Select(h => h.Key).ToList())
        {
            _holders.Remove(gone);
        }
        foreach (var gone in _observers.Where(o => o.Value <= now).Select(o => o.Key).ToList())
        {
            _observers.Remove(gone);
        }
        await RecomputeAsync();
    }

    /// <summary>Tells every observer when the union changed, and waits for them: a watch is in force once SetAsync returns.</summary>
    async Task RecomputeAsync()
    {
        var campaigns = _holders.Values.SelectMany(h => h.Watches.Campaigns).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var next = new WatchSet(campaigns, _holders.Values.Any(h => h.Watches.ClusterMerges), time.GetUtcNow() >= _completeAt);
        if (next.Complete == _current.Complete && next.ClusterMerges == _current.ClusterMerges && next.Campaigns.SequenceEqual(_current.Campaigns))
        {
            return;
        }
        _current = next;
        var observers = _observers.Keys.ToList();
        var results = await Task.WhenAll(observers.Select(async o =>
        {
            try
            {
                await o.ChangedAsync(next); // Orleans' response timeout bounds it
                return true;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "a silo did not take the new stream watches; it is dropped until it subscribes again (within 20 s), and until then it filters with the set it had");
                return false;
            }
        }));
        for (var i = 0; i < observers.Count; i++)
        {
            if (!results[i])
            {
                _observers.Remove(observers[i]);
            }
        }
    }
}

/// <summary>Whether the directory ran before in this cluster (then it may have lost holders when it stopped).</summary>
[GenerateSerializer, Alias("tg.WatchDirectoryState")]
public sealed class WatchDirectoryState
{
    [Id(0)] public bool Started { get; set; }
}
