using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Tests;

/// <summary>Every silo runs the federation job; the peer grain's lease lets one pull at a time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FederationLeaseTests(ClusterFixture fixture)
{
    [Fact]
    public async Task One_sync_job_holds_a_peer_until_its_lease_runs_out()
    {
        var peer = fixture.Grains.GetGrain<ThreatGraph.Contracts.Federation.IFederationPeerGrain>("lease-" + Guid.NewGuid().ToString("N"));
        Assert.True(await peer.TryLeaseAsync("silo-a", TimeSpan.FromMilliseconds(300)));
        Assert.False(await peer.TryLeaseAsync("silo-b", TimeSpan.FromMilliseconds(300)));
        Assert.True(await peer.TryLeaseAsync("silo-a", TimeSpan.FromMilliseconds(300))); // renewal
        await Task.Delay(400);
        Assert.True(await peer.TryLeaseAsync("silo-b", TimeSpan.FromSeconds(10)));
        Assert.False(await peer.TryLeaseAsync("silo-a", TimeSpan.FromSeconds(10)));
    }
}
