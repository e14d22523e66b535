using ThreatGraph.Stix;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Tests;

/// <summary>Two grains that wait on each other: a deliberate cycle of waiting, the bug short turns make visible.</summary>
public interface ICycleGrain : IGrainWithStringKey
{
    Task<int> PingAsync(string other, int hops);
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public async Task<int> PingAsync(string other, int hops) =>
        hops == 0 ? 0 : 1 + await GrainFactory.GetGrain<ICycleGrain>(other).PingAsync(this.GetPrimaryKeyString(), hops - 1);
}

/// <summary>
/// Issue 12, "short turns": a bundle goes to the ingest grain in bounded calls (so the response timeout can be Orleans'
/// default or lower), and a cycle of waiting — grain A awaiting B awaiting A, non-reentrant — fails with a timeout
/// within the configured response timeout instead of hanging.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ShortTurnTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_cycle_of_waiting_fails_with_a_timeout_instead_of_hanging()
    {
        var (a, b) = ("cycle-a-" + Guid.NewGuid().ToString("N"), "cycle-b-" + Guid.NewGuid().ToString("N"));
        // A → B is fine …
        Assert.Equal(1, await fixture.Grains.GetGrain<ICycleGrain>(a).PingAsync(b, 1));
        // … A → B → A waits on itself: Orleans' response timeout ends it.
        var call = fixture.Grains.GetGrain<ICycleGrain>(a).PingAsync(b, 2);
        var finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(ClusterFixture.ResponseTimeoutSeconds * 3)));
        Assert.True(ReferenceEquals(finished, call), "a cycle of waiting did not end within three response timeouts");
        await Assert.ThrowsAsync<TimeoutException>(() => call);
    }

    [Fact]
    public void A_bundle_is_split_into_bounded_calls_in_dependency_order()
    {
        var items = new List<(string? Id, int Bytes)>
        {
            ("relationship--1", 10), ("campaign--1", 10), ("ipv4-addr--1", 10), ("identity--1", 10),
            ("report--1", 10), ("marking-definition--1", 10), ("campaign--2", 10), (null, 10),
        };
        var chunks = DependencyOrder.Chunks(items, maxObjects: 3, maxBytes: 1_000);
        var order = chunks.SelectMany(c => c).Select(i => items[i].Id).ToList();
        Assert.Equal(["marking-definition--1", "identity--1", "ipv4-addr--1", "campaign--1", "campaign--2", null, "relationship--1", "report--1"], order);
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 3));
        Assert.Equal(3, DependencyOrder.Chunks(items, maxObjects: 100, maxBytes: 30).Count);
    }
}
