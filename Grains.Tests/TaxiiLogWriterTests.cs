using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Tests;

/// <summary>The writer ingest appends through: one call per touched partition, concurrent appends to a partition
/// going out together, and each caller answered only once its own versions are in the log.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TaxiiLogWriterTests(ClusterFixture fixture)
{
    static TaxiiLogAppend Version(string id) => new(id, "x-w", null, null, "2.1", id.GetHashCode());

    [Fact]
    public async Task Concurrent_appends_all_land_and_each_caller_returns_after_its_versions_are_in_the_log()
    {
        var writer = new TaxiiLogWriter(Options.Create(new TaxiiLogOptions { LogPartitions = 3 }), TimeProvider.System);
        var collection = "writer-" + Guid.NewGuid().ToString("N");
        var grains = fixture.Grains;
        async Task<bool> LoggedAsync(IReadOnlyList<string> ids)
        {
            foreach (var id in ids)
            {
                var key = TaxiiLogPartitioning.KeyOf(collection, 3, TaxiiLogPartitioning.PartitionOf(id, 3));
                if ((await grains.GetGrain<ITaxiiLogPartitionGrain>(key).ReadAsync(new TaxiiLogQuery(0, null, [id], null, null, ["all"], 1))).Entries.Count == 0)
                {
                    return false;
                }
            }
            return true;
        }

        var callers = Enumerable.Range(0, 24).Select(c => Task.Run(async () =>
        {
            var ids = Enumerable.Range(0, 20).Select(i => $"x-w--{c:D2}-{i:D2}").ToList();
            await writer.AppendAsync(grains, collection, [.. ids.Select(Version)]);
            Assert.True(await LoggedAsync(ids), $"caller {c} returned before its versions were in the log");
        })).ToList();
        await Task.WhenAll(callers);

        long total = 0;
        for (var p = 0; p < 3; p++)
        {
            total += await grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collection, 3, p)).CountAsync();
        }
        Assert.Equal(24 * 20, total);
    }

    [Fact]
    public async Task A_failed_append_fails_its_callers_instead_of_leaving_them_waiting()
    {
        var writer = new TaxiiLogWriter(Options.Create(new TaxiiLogOptions { LogPartitions = 2 }), TimeProvider.System);
        // A collection id with a '/' makes partition keys the partition grain refuses on activation.
        var failing = Enumerable.Range(0, 4).Select(i => writer.AppendAsync(fixture.Grains, "bad/collection", [Version($"x-w--bad-{i}")])).ToList();
        foreach (var call in failing)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => call);
        }
    }
}
