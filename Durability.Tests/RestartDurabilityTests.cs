using System.Diagnostics;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>Everything acknowledged by a host on Azure storage is there again in a new host on the same storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RestartDurabilityTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Ics_bundle_ingested_then_host_restarted_every_object_and_edge_is_back()
    {
        var serviceId = "restart" + Guid.NewGuid().ToString("N")[..8];
        var bundle = SharedData.Bytes("mitre-attack/ics-attack-18.1.json");
        var ids = GraphFingerprint.IdsOf(bundle);

        GraphFingerprint before;
        await using (var first = new DurableApiFactory(azurite.ConnectionString, serviceId))
        {
            var clock = Stopwatch.StartNew();
            var report = await first.PostBundleAsync(bundle);
            var seconds = clock.Elapsed.TotalSeconds;
            Assert.Equal(0, report["totals"]!["rejected"]!.GetValue<int>());
            output.WriteLine($"ingest on Azurite: {ids.Count} objects in {seconds:F1} s = {ids.Count / seconds:F0} objects/s");
            before = await GraphFingerprint.ReadAsync(first.CreateClient(), ids);
        }
        Assert.All(ids, id => Assert.True(before.EdgesById[id] >= 0, $"{id} missing before the restart"));

        var usage = await azurite.StateUsageAsync(serviceId);
        output.WriteLine($"grain state: {usage.Bytes} bytes in {usage.Count} states (largest {usage.Largest}) = " +
                         $"{usage.Bytes / ids.Count} bytes per object");

        await using var second = new DurableApiFactory(azurite.ConnectionString, serviceId);
        var after = await GraphFingerprint.ReadAsync(second.CreateClient(), ids);
        Assert.True(before.Diff(after).Length == 0, before.Diff(after));
        Assert.True(before.EdgesById.Values.Sum() > 5000, "the ICS bundle should give thousands of edges");
    }
}
