using Microsoft.Extensions.Time.Testing;
using ThreatGraph.Contracts.Federation;
using ThreatGraph.Grains.Federation;

namespace ThreatGraph.Grains.Tests;

/// <summary>Every silo runs the federation job; the peer grain's lease lets one pull at a time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FederationLeaseTests(ClusterFixture fixture)
{
    static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_sync_job_holds_a_peer_until_its_lease_runs_out()
    {
        var clock = new FakeTimeProvider(T0);
        var lease = new FederationLease(clock);
        Assert.True(lease.TryTake("silo-a", TimeSpan.FromMilliseconds(300)));
        Assert.False(lease.TryTake("silo-b", TimeSpan.FromMilliseconds(300)));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(lease.TryTake("silo-a", TimeSpan.FromMilliseconds(300))); // renewal: now until T0 + 500 ms
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(lease.TryTake("silo-b", TimeSpan.FromSeconds(10))); // the renewal still runs
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(lease.TryTake("silo-b", TimeSpan.FromSeconds(10))); // ran out exactly now
        Assert.False(lease.TryTake("silo-a", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_peer_grain_gives_its_lease_to_one_holder_at_a_time()
    {
        var peer = fixture.Grains.GetGrain<IFederationPeerGrain>("lease-" + Guid.NewGuid().ToString("N"));
        Assert.True(await peer.TryLeaseAsync("silo-a", TimeSpan.FromMinutes(5)));
        Assert.False(await peer.TryLeaseAsync("silo-b", TimeSpan.FromMinutes(5)));
        Assert.True(await peer.TryLeaseAsync("silo-a", TimeSpan.FromMinutes(5))); // renewal
    }
}
