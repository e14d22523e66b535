using System.Globalization;
using Azure.Data.Tables;
using Orleans.Serialization;
using Orleans.Storage;
using ThreatGraph.Silo.Hosting;
using ThreatGraph.Silo.Storage;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// The azure-mode grain storage (<see cref="GroupCommitGrainStorage"/>) on Azurite, used as grains use it: exact states
/// back for many grains written at once, in the same host and in a new one; a stale ETag fails its own grain and no
/// other; a state too large for a row goes through a blob; clear; a row written behind the partition owner's back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GroupCommitGrainStorageTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    const string StateName = "test";

    [Fact]
    public async Task Many_grains_written_at_once_read_back_exactly_in_the_same_host_and_after_a_restart()
    {
        var serviceId = Service("many");
        var grains = Enumerable.Range(0, 600).Select(Id).ToList();
        var expected = new Dictionary<GrainId, (Dictionary<string, string> State, string ETag)>();

        await using (var host = new DurableApiFactory(azurite.ConnectionString, serviceId))
        {
            var storage = host.GraphStorage;
            // A first version of every grain, all at once; then a second version of every other grain, all at once.
            var states = grains.Select((_, i) => new TestState<Dictionary<string, string>>(Value(i, 1))).ToList();
            await Task.WhenAll(grains.Select((g, i) => storage.WriteStateAsync(StateName, g, states[i])));
            var firstETags = states.Select(s => s.ETag).ToList();
            var evens = Enumerable.Range(0, grains.Count).Where(i => i % 2 == 0).ToList();
            foreach (var i in evens) states[i].State = Value(i, 2);
            await Task.WhenAll(evens.Select(i => storage.WriteStateAsync(StateName, grains[i], states[i])));
            for (var i = 0; i < grains.Count; i++)
            {
                Assert.True(states[i].RecordExists);
                Assert.NotNull(states[i].ETag);
                Assert.True(i % 2 == 1 || states[i].ETag != firstETags[i], $"grain {i}: a new write gives a new ETag");
                expected[grains[i]] = (states[i].State, states[i].ETag!);
            }

            await AssertStoredAsync(storage, expected);
            var statistics = host.Services.GetRequiredService<StateTable>().Statistics;
            output.WriteLine(statistics.Summary());
            Assert.Equal(0, statistics.Conflicts);
            Assert.True(statistics.Transactions < statistics.TransactionRows,
                $"writes of many grains share transactions: {statistics.Transactions} transactions for {statistics.TransactionRows} rows");
        }

        // A new host: a new provider, new partition owners that find the rows by their key scan.
        await using var restarted = new DurableApiFactory(azurite.ConnectionString, serviceId);
        await AssertStoredAsync(restarted.GraphStorage, expected);
    }

    [Fact]
    public async Task A_stale_ETag_fails_that_grain_alone_while_the_writes_around_it_commit()
    {
        // One partition: every write below meets the others in the same owner's queue.
        await using var host = new DurableApiFactory(azurite.ConnectionString, Service("stale"), OnePartition);
        var storage = host.GraphStorage;
        var contested = Id(1_000);
        var mine = new TestState<Dictionary<string, string>>(Value(1, 1));
        await storage.WriteStateAsync(StateName, contested, mine);
        var stale = new TestState<Dictionary<string, string>>(Value(1, 99)) { ETag = mine.ETag, RecordExists = true };
        mine.State = Value(1, 2);
        await storage.WriteStateAsync(StateName, contested, mine);

        var others = Enumerable.Range(0, 60).Select(i => (Grain: Id(i), State: new TestState<Dictionary<string, string>>(Value(i, 1)))).ToList();
        var writes = others.Take(30).Select(o => storage.WriteStateAsync(StateName, o.Grain, o.State))
            .Append(storage.WriteStateAsync(StateName, contested, stale))
            .Concat(others.Skip(30).Select(o => storage.WriteStateAsync(StateName, o.Grain, o.State)))
            .ToList();
        var failures = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }));

        Assert.IsType<InconsistentStateException>(failures[30]);
        Assert.All(failures.Where((_, i) => i != 30), Assert.Null);
        await AssertStoredAsync(storage, others.ToDictionary(o => o.Grain, o => (o.State.State, o.State.ETag!)));
        await AssertStoredAsync(storage, new() { [contested] = (Value(1, 2), mine.ETag!) });
    }

    [Fact]
    public async Task A_state_too_large_for_a_row_round_trips_through_a_blob_which_goes_when_replaced_or_cleared()
    {
        var serviceId = Service("large");
        await using var host = new DurableApiFactory(azurite.ConnectionString, serviceId);
        var storage = host.GraphStorage;
        var grain = Id(7);
        var container = azurite.Blobs.GetBlobContainerClient(SiloHostingExtensions.LargeStateContainerName(serviceId));
        var large = new byte[2_000_000];
        new Random(7).NextBytes(large);

        var state = new TestState<Dictionary<string, byte[]>>(new() { ["large"] = large });
        await storage.WriteStateAsync(StateName, grain, state);
        // This grain's row (the silo also stores layout records of its own).
        var rowKey = StateKey.RowKey(StateName, grain);
        var row = await azurite.StateTable(serviceId).QueryAsync<TableEntity>(r => r.PartitionKey != StateTableLayout.LayoutPartitionKey && r.RowKey == rowKey).SingleAsync();
        Assert.NotNull(StateRow.BlobOf(row));
        Assert.Equal(1, await container.GetBlobsAsync().CountAsync());
        var read = await ReadAsync<Dictionary<string, byte[]>>(storage, grain);
        Assert.Equal(state.ETag, read.ETag);
        Assert.True(large.SequenceEqual(read.State["large"]), "the large state read back byte for byte");

        // Replaced by a small state: the row holds it, and the blob nobody names any more goes.
        state.State = new() { ["small"] = [1, 2, 3] };
        await storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal([1, 2, 3], (await ReadAsync<Dictionary<string, byte[]>>(storage, grain)).State["small"]);
        await Poll.UntilAsync(async () => await container.GetBlobsAsync().CountAsync() == 0, TimeSpan.FromSeconds(30), "the replaced blob deleted");

        // Large again, then cleared: row and blob both go.
        state.State = new() { ["large"] = large };
        await storage.WriteStateAsync(StateName, grain, state);
        var again = await ReadAsync<Dictionary<string, byte[]>>(storage, grain);
        Assert.True(large.SequenceEqual(again.State["large"]));
        await storage.ClearStateAsync(StateName, grain, state);
        Assert.False((await ReadAsync<Dictionary<string, byte[]>>(storage, grain)).RecordExists);
        await Poll.UntilAsync(async () => await container.GetBlobsAsync().CountAsync() == 0, TimeSpan.FromSeconds(30), "the cleared state's blob deleted");
    }

    [Fact]
    public async Task Clear_removes_the_state_refuses_a_stale_ETag_and_a_new_write_starts_from_nothing()
    {
        await using var host = new DurableApiFactory(azurite.ConnectionString, Service("clear"));
        var storage = host.GraphStorage;
        var grain = Id(3);
        var state = new TestState<Dictionary<string, string>>(Value(3, 1));
        await storage.WriteStateAsync(StateName, grain, state);
        var stale = new TestState<Dictionary<string, string>>([]) { ETag = state.ETag, RecordExists = true };
        state.State = Value(3, 2);
        await storage.WriteStateAsync(StateName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));
        Assert.Equal(Value(3, 2), (await ReadAsync<Dictionary<string, string>>(storage, grain)).State);

        await storage.ClearStateAsync(StateName, grain, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var cleared = await ReadAsync<Dictionary<string, string>>(storage, grain);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);
        Assert.Empty(cleared.State);

        // Clearing what is not stored is fine; writing again starts from nothing (no ETag).
        await storage.ClearStateAsync(StateName, grain, cleared);
        cleared.State = Value(3, 3);
        await storage.WriteStateAsync(StateName, grain, cleared);
        Assert.Equal(Value(3, 3), (await ReadAsync<Dictionary<string, string>>(storage, grain)).State);
    }

    [Fact]
    public async Task A_row_written_behind_the_partition_owners_back_is_found_after_the_first_conflict()
    {
        var serviceId = Service("behind");
        await using var host = new DurableApiFactory(azurite.ConnectionString, serviceId, OnePartition);
        var storage = host.GraphStorage;
        await storage.WriteStateAsync(StateName, Id(1), new TestState<Dictionary<string, string>>(Value(1, 1))); // the owner is active

        // Another writer (not through the owner) stores grain 2.
        var grain = Id(2);
        var serializer = new OrleansGrainStorageSerializer(host.Services.GetRequiredService<Serializer>());
        var bytes = serializer.Serialize(Value(2, 1)).ToArray();
        await azurite.StateTable(serviceId).AddEntityAsync(StateRow.Inline(StateKey.PartitionKey(0), StateKey.RowKey(StateName, grain), bytes));

        // The owner did not see that row: a read says absent, but a write without an ETag cannot overwrite it …
        var unaware = await ReadAsync<Dictionary<string, string>>(storage, grain);
        Assert.False(unaware.RecordExists);
        unaware.State = Value(2, 9);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, unaware));
        // … and from that conflict on, the owner knows the row: the grain's next activation reads it.
        var known = await ReadAsync<Dictionary<string, string>>(storage, grain);
        Assert.True(known.RecordExists);
        Assert.Equal(Value(2, 1), known.State);
    }

    [Fact]
    public async Task Without_its_owner_a_replace_or_clear_goes_straight_to_the_table_with_the_same_preconditions()
    {
        await using var host = new DurableApiFactory(azurite.ConnectionString, Service("direct"));
        var storage = host.GraphStorage;
        var table = host.Services.GetRequiredService<StateTable>();
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var serializer = new OrleansGrainStorageSerializer(host.Services.GetRequiredService<Serializer>());
        var grain = Id(5);
        var state = new TestState<Dictionary<string, string>>(Value(5, 1));
        await storage.WriteStateAsync(StateName, grain, state);
        var rowKey = StateKey.RowKey(StateName, grain);

        var replaced = await table.ReplaceOrDeleteDirectlyAsync(rowKey, state.ETag!, serializer.Serialize(Value(5, 2)).ToArray(), logger);
        Assert.False(replaced.Refused);
        await AssertStoredAsync(storage, new() { [grain] = (Value(5, 2), replaced.ETag!) });
        var stale = await table.ReplaceOrDeleteDirectlyAsync(rowKey, state.ETag!, serializer.Serialize(Value(5, 3)).ToArray(), logger);
        Assert.True(stale.Refused, "the grain's old ETag is stale after the direct replace");
        Assert.True((await table.ReplaceOrDeleteDirectlyAsync(rowKey, state.ETag!, null, logger)).Refused, "a clear on a stale ETag is refused");

        Assert.False((await table.ReplaceOrDeleteDirectlyAsync(rowKey, replaced.ETag!, null, logger)).Refused);
        Assert.False((await ReadAsync<Dictionary<string, string>>(storage, grain)).RecordExists, "cleared behind the owner: its point read finds nothing");
    }

    static async Task AssertStoredAsync(IGrainStorage storage, Dictionary<GrainId, (Dictionary<string, string> State, string ETag)> expected)
    {
        var reads = await Task.WhenAll(expected.Keys.Select(async g => (Grain: g, Read: await ReadAsync<Dictionary<string, string>>(storage, g))));
        foreach (var (grain, read) in reads)
        {
            Assert.True(read.RecordExists, $"{grain} stored");
            Assert.Equal(expected[grain].ETag, read.ETag);
            Assert.Equal(expected[grain].State, read.State);
        }
    }

    static async Task<TestState<T>> ReadAsync<T>(IGrainStorage storage, GrainId grain) where T : new()
    {
        var state = new TestState<T>(new T());
        await storage.ReadStateAsync(StateName, grain, state);
        return state;
    }

    static readonly Dictionary<string, string> OnePartition = new() { [ThreatGraphSiloOptions.Keys.StoragePartitions] = "1" };

    static string Service(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Grain ids as the graph has them (edge shards hold '/') and worse: characters a row key may not hold,
    /// non-ASCII, control characters, and ids longer than a row key may be.</summary>
    static GrainId Id(int i)
    {
        var guid = new Guid(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);
        return GrainId.Create("test", (i % 6) switch
        {
            0 => $"ipv4-addr--{guid}/{i % 7}",
            1 => $"odd#?\\%/{guid}",
            2 => $"unicode-é-漢字-{guid}",
            3 => $"control-\u0001\u001f\u007f\u0085-{guid}",
            4 => new string('x', 600) + guid,
            _ => $"indicator--{guid}",
        });
    }

    static Dictionary<string, string> Value(int grain, int version) => new()
    {
        ["grain"] = grain.ToString(CultureInfo.InvariantCulture),
        ["version"] = version.ToString(CultureInfo.InvariantCulture),
        ["payload"] = string.Concat(Enumerable.Repeat($"{grain}-{version}-ü∂", grain * 37 % 400)),
    };

    sealed class TestState<T>(T state) : IGrainState<T>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = state;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }
}
