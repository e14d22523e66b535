using Microsoft.Extensions.Logging;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// This silo's copy of the watch set (<see cref="IWatchDirectoryGrain"/>): which campaign streams a cluster grain here
/// should publish to. It subscribes once the silo is active and again every <see cref="WatchLease.RenewEvery"/> (which
/// also fetches the set, so a missed push is repaired). Until it has a complete set — at start-up, after the directory
/// restarted, or when it has not heard from the directory for an observer lease — it answers "publish": it fails
/// towards sending events nobody reads, never towards a dashboard missing one.
/// </summary>
public sealed class WatchedStreams(IGrainFactory grains, TimeProvider time, ILogger<WatchedStreams> logger)
    : IWatchSetObserver, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    sealed record Snapshot(HashSet<string> Campaigns, bool ClusterMerges, bool Complete, DateTimeOffset Until);

    volatile Snapshot? _current;
    readonly CancellationTokenSource _stop = new();

    /// <summary>Whether updates of this campaign are published.</summary>
    public bool Publishes(string campaignId) => Current() is not { } s || s.Campaigns.Contains(campaignId);

    /// <summary>Whether cluster merges are published.</summary>
    public bool PublishesClusterMerges => Current() is not { } s || s.ClusterMerges;

    /// <summary>The set when it is complete and fresh; null means "publish everything".</summary>
    Snapshot? Current() => _current is { Complete: true } s && s.Until > time.GetUtcNow() ? s : null;

    public Task ChangedAsync(WatchSet watches)
    {
        Take(watches);
        return Task.CompletedTask;
    }

    void Take(WatchSet watches) =>
        _current = new Snapshot(watches.Campaigns.ToHashSet(StringComparer.Ordinal), watches.ClusterMerges, watches.Complete,
            time.GetUtcNow() + WatchLease.ObserverDuration);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WatchedStreams), ServiceLifecycleStage.Active, Start, Stop);

    Task Start(CancellationToken cancel)
    {
        _ = Task.Run(SubscribeLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    Task Stop(CancellationToken cancel)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _stop.Cancel();
        }
        return Task.CompletedTask;
    }

    int _disposed;

    /// <summary>Idempotent: the container holds this as itself and as a lifecycle participant.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    async Task SubscribeLoopAsync()
    {
        var me = grains.CreateObjectReference<IWatchSetObserver>(this);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Take(await grains.GetGrain<IWatchDirectoryGrain>(0).SubscribeAsync(me));
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                logger.LogWarning(e, "subscribing to the stream watch directory failed; this silo publishes every correlation update until it succeeds");
            }
            try
            {
                await Task.Delay(WatchLease.RenewEvery, time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
