using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Federation;

namespace ThreatGraph.GraphApi.Federation;

/// <summary>
/// The background job: one loop per configured peer. Pull until caught up, wait <c>PollSeconds</c>, again. A failed
/// poll is recorded (GraphQL <c>federationPeers</c>, metrics, log) and retried with exponential back-off up to 5 minutes.
/// Every silo of a cluster runs it; a lease on the peer's grain lets one of them pull at a time (another takes over
/// when the holder stops renewing it).
/// </summary>
public sealed class FederationSyncService(
    FederationSync sync, IGrainFactory grains, IOptions<FederationOptions> options, FederationMetrics metrics,
    TimeProvider clock, ILogger<FederationSyncService> log) : BackgroundService
{
    static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    readonly string _holder = Guid.NewGuid().ToString("N");

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var peer in options.Value.Peers)
        {
            log.LogInformation("Federation: pulling from peer {Peer} at {Url} every {Seconds} s", peer.Name, peer.Url, peer.PollSeconds);
        }
        return Task.WhenAll(options.Value.Peers.Select(p => RunAsync(p, stoppingToken)));
    }

    async Task RunAsync(FederationPeerOptions peer, CancellationToken stop)
    {
        var poll = TimeSpan.FromSeconds(peer.PollSeconds);
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await grains.GetGrain<IFederationPeerGrain>(peer.Name).TryLeaseAsync(_holder, LeaseFor(poll)))
                {
                    await sync.PullAsync(peer, stop);
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                metrics.Error(peer.Name);
                log.LogWarning("Federation: pulling from {Peer} failed ({Failures} in a row): {Message}", peer.Name, failures, e.Message);
                await RecordErrorAsync(peer, e, clock.GetUtcNow() + Backoff(poll, failures));
            }
            var wait = Backoff(poll, failures);
            try
            {
                await Task.Delay(wait, clock, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The wait before the next poll: the poll interval, doubled for each failure in a row, at most 5 minutes.</summary>
    public static TimeSpan Backoff(TimeSpan poll, int failures) =>
        failures == 0 ? poll : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, poll.Ticks * (1L << Math.Min(failures, 16))));

    /// <summary>Long enough to cover a pull and the wait after it, so the holder keeps it while it works.</summary>
    static TimeSpan LeaseFor(TimeSpan poll) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(2).Ticks, poll.Ticks * 4));

    async Task RecordErrorAsync(FederationPeerOptions peer, Exception e, DateTimeOffset retryAt)
    {
        try
        {
            await grains.GetGrain<IFederationPeerGrain>(peer.Name).RecordErrorAsync(e is HttpRequestException or TaskCanceledException
                ? $"peer '{peer.Name}' unreachable: {e.Message}" : e.Message, retryAt);
        }
        catch (Exception inner)
        {
            // The silo itself may not be up yet; the next attempt records again.
            log.LogDebug(inner, "Federation: could not record the error of {Peer}", peer.Name);
        }
    }
}
