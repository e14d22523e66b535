using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ThreatGraph.Contracts.Correlation;

/// <summary>
/// What this process listens to on the correlation streams, registered with <see cref="IWatchDirectoryGrain"/> so the
/// cluster grains publish it. Counted per stream (two subscribers of one campaign are one watch), pushed when a new
/// stream is first watched (awaited, so nothing published after the call returns is missed), and renewed every
/// <see cref="WatchLease.RenewEvery"/>. Any process that subscribes to those streams — the gateway, a trusted service,
/// the benchmark — watches through one of these.
/// </summary>
public sealed class StreamWatches : IAsyncDisposable
{
    readonly IGrainFactory _grains;
    readonly ILogger _logger;
    readonly string _holder = Guid.NewGuid().ToString("N");
    readonly Dictionary<string, int> _campaigns = new(StringComparer.Ordinal);
    readonly SemaphoreSlim _push = new(1, 1);
    readonly ITimer _renewal;
    int _merges;

    public StreamWatches(IGrainFactory grains, TimeProvider? time = null, ILogger<StreamWatches>? logger = null)
    {
        _grains = grains;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _renewal = (time ?? TimeProvider.System).CreateTimer(_ => _ = RenewAsync(), null, WatchLease.RenewEvery, WatchLease.RenewEvery);
    }

    /// <summary>Watches one campaign's stream until the returned handle is disposed.</summary>
    public async Task<IDisposable> WatchCampaignAsync(string campaignId)
    {
        bool first;
        lock (_campaigns)
        {
            first = !_campaigns.TryGetValue(campaignId, out var n);
            _campaigns[campaignId] = n + 1;
        }
        if (first)
        {
            await PushAsync();
        }
        return new Release(() => Unwatch(campaignId));
    }

    /// <summary>Watches the cluster-merged stream until the returned handle is disposed.</summary>
    public async Task<IDisposable> WatchClusterMergesAsync()
    {
        if (Interlocked.Increment(ref _merges) == 1)
        {
            await PushAsync();
        }
        return new Release(() =>
        {
            if (Interlocked.Decrement(ref _merges) == 0)
            {
                _ = PushQuietlyAsync();
            }
        });
    }

    /// <summary>The campaigns watched now (distinct).</summary>
    public IReadOnlyList<string> Campaigns
    {
        get
        {
            lock (_campaigns)
            {
                return [.. _campaigns.Keys];
            }
        }
    }

    void Unwatch(string campaignId)
    {
        lock (_campaigns)
        {
            if (!_campaigns.TryGetValue(campaignId, out var n))
            {
                return;
            }
            if (n > 1)
            {
                _campaigns[campaignId] = n - 1;
                return;
            }
            _campaigns.Remove(campaignId);
        }
        _ = PushQuietlyAsync(); // an unwatch that is lost only costs events nobody reads, until the lease runs out
    }

    async Task PushAsync()
    {
        await _push.WaitAsync();
        try
        {
            await _grains.GetGrain<IWatchDirectoryGrain>(0).SetAsync(_holder, new WatchList(Campaigns, Volatile.Read(ref _merges) > 0));
        }
        finally
        {
            _push.Release();
        }
    }

    async Task PushQuietlyAsync()
    {
        try
        {
            await PushAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "renewing the correlation stream watches failed; tried again in {Seconds} s", WatchLease.RenewEvery.TotalSeconds);
        }
    }

    Task RenewAsync() => Campaigns.Count == 0 && Volatile.Read(ref _merges) == 0 ? Task.CompletedTask : PushQuietlyAsync();

    public async ValueTask DisposeAsync()
    {
        await _renewal.DisposeAsync();
        lock (_campaigns)
        {
            _campaigns.Clear();
        }
        _merges = 0;
        await PushQuietlyAsync();
    }

    sealed class Release(Action release) : IDisposable
    {
        int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                release();
            }
        }
    }
}
