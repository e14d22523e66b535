using Microsoft.Extensions.Logging;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The union of what every gateway watches (<see cref="IWatchDirectoryGrain"/>), held in memory. A deactivation hands
/// the holders and silo observers over through storage, so the next activation goes on where it stopped. After a crash
/// (no hand-over) it says <see cref="WatchSet.Complete"/> = false for one lease, while holders re-register, and
/// publishers publish everything meanwhile; the first activation of a cluster has nothing to miss and is complete at once.
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
        var saved = state.State;
        var lostHolders = saved.Started && !saved.HandedOver;
        _completeAt = time.GetUtcNow() + (lostHolders ? WatchLease.Duration : TimeSpan.Zero);
        foreach (var (holder, held) in saved.Holders)
        {
            _holders[holder] = (held.Watches, held.Until);
        }
        foreach (var lease in saved.Observers)
        {
            _observers[lease.Observer] = lease.Until;
        }
        _current = Union(); // what the silos were last told
        state.State = new WatchDirectoryState { Started = true }; // a crash from here on is a crash: no hand-over
        await state.WriteStateAsync(cancellationToken);
        var tick = TimeSpan.FromSeconds(10);
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(tick, tick) { KeepAlive = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        state.State = new WatchDirectoryState
        {
            Started = true,
            HandedOver = true,
            Holders = _holders.ToDictionary(h => h.Key, h => new HeldWatch(h.Value.Watches, h.Value.Until), StringComparer.Ordinal),
            Observers = [.. _observers.Select(o => new ObserverLease(o.Key, o.Value))],
        };
        await state.WriteStateAsync(cancellationToken);
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

    WatchSet Union() => new(
        [.. _holders.Values.SelectMany(h => h.Watches.Campaigns).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        _holders.Values.Any(h => h.Watches.ClusterMerges), time.GetUtcNow() >= _completeAt);

    /// <summary>Tells every observer when the union changed, and waits for them: a watch is in force once SetAsync returns.</summary>
    async Task RecomputeAsync()
    {
        var next = Union();
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
                await o.ChangedAsync(next).WaitAsync(WatchLease.ObserverPushTimeout, time);
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

/// <summary>Whether the directory ran before in this cluster, and what its last activation handed over when it was
/// deactivated (nothing after a crash: then holders may be missing until they renew).</summary>
[GenerateSerializer, Alias("tg.WatchDirectoryState")]
public sealed class WatchDirectoryState
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public bool HandedOver { get; set; }
    [Id(2)] public Dictionary<string, HeldWatch> Holders { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public List<ObserverLease> Observers { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("tg.HeldWatch")]
public sealed record HeldWatch([property: Id(0)] WatchList Watches, [property: Id(1)] DateTimeOffset Until);

[GenerateSerializer, Immutable, Alias("tg.ObserverLease")]
public sealed record ObserverLease([property: Id(0)] IWatchSetObserver Observer, [property: Id(1)] DateTimeOffset Until);
