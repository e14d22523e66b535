using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.GraphApi.Taxii;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Taxii.Tests;

/// <summary>
/// The partitioned log read with <c>added_after</c> (README "TAXII 2.1", the watermark): while writers append into every
/// partition at once, a reader that comes back each time with the last date_added it was served — as federation does —
/// sees every entry exactly once, in strictly increasing date_added, also across the deactivation of every grain.
/// Five partitions here, to run a count other than the default.
/// </summary>
public sealed class TaxiiWatermarkTests : IAsyncLifetime
{
    const int Partitions = 5;
    readonly TaxiiFactory _api = new TaxiiFactory()
        .With(TaxiiLogOptions.PartitionsKey, "5")
        .With("Security:RequestsPerSecond", "100000").With("Security:Burst", "100000");

    /// <summary>Starts the host before the writers race to it (WebApplicationFactory would start one each).</summary>
    public Task InitializeAsync()
    {
        _ = _api.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    IGrainFactory Grains => _api.Services.GetRequiredService<IGrainFactory>();

    Task DeactivateEverythingAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    [Fact]
    public async Task A_reader_with_added_after_sees_every_entry_once_while_writers_append_to_every_partition_and_grains_are_deactivated()
    {
        var collection = "watermark-" + Guid.NewGuid().ToString("N");
        var writer = _api.Services.GetRequiredService<TaxiiLogWriter>();
        Assert.Equal(Partitions, writer.Partitions);
        const int writers = 6, batches = 40, perBatch = 12;
        var appended = new List<string>();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                var ids = Enumerable.Range(0, perBatch).Select(i => $"x-wm--{w:D2}-{b:D3}-{i:D2}-{Guid.NewGuid():N}").ToList();
                await writer.AppendAsync(Grains, collection, [.. ids.Select(id => new TaxiiLogAppend(id, "x-wm", null, null, "2.1", id.GetHashCode()))]);
                lock (appended)
                {
                    appended.AddRange(ids);
                }
            }
        })).ToList();

        var merge = new TaxiiLogMerge(Grains, Partitions);
        var served = new List<TaxiiLogEntry>();
        DateTimeOffset? after = null;
        var deactivations = 0;
        var clock = Stopwatch.StartNew();
        for (var page = 0; !writing.All(t => t.IsCompleted) || served.Count < writers * batches * perBatch; page++)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"after {page} pages only {served.Count} of {appended.Count} entries were served");
            var filter = new TaxiiFilter(null, ["x-wm"], ["all"], null, after, 17, new long[Partitions]);
            var result = await merge.ReadAsync<TaxiiLogEntry>(collection, filter, entries => Task.FromResult<IReadOnlyList<TaxiiLogEntry?>>([.. entries]), default);
            foreach (var e in result.Items)
            {
                if (served.Count > 0 && e.DateAdded <= served[^1].DateAdded)
                {
                    Assert.Fail($"page {page}: {e.Id} added {TaxiiTimestamp.Format(e.DateAdded)} after {TaxiiTimestamp.Format(served[^1].DateAdded)} was served");
                }
                served.Add(e);
            }
            after = served.Count > 0 ? served[^1].DateAdded : null;
            if (page % 40 == 20 && deactivations < 3)
            {
                deactivations++;
                await DeactivateEverythingAsync();
            }
        }
        await Task.WhenAll(writing);

        Assert.Equal(served.Count, served.Select(e => e.Id).Distinct().Count()); // no duplicates
        Assert.Equal(appended.Order(), served.Select(e => e.Id).Order()); // no gaps
        Assert.True(deactivations > 0, "the reader finished before any deactivation: the test did not test that");
        Assert.Equal(Partitions, served.Select(e => TaxiiLogPartitioning.PartitionOf(e.Id, Partitions)).Distinct().Count());

        // Once more from the start after every grain is gone, with next tokens: the same entries in the same order.
        await DeactivateEverythingAsync();
        var again = new List<TaxiiLogEntry>();
        IReadOnlyList<long> positions = new long[Partitions];
        while (true)
        {
            var filter = new TaxiiFilter(null, ["x-wm"], ["all"], null, null, 97, positions);
            var result = await merge.ReadAsync<TaxiiLogEntry>(collection, filter, entries => Task.FromResult<IReadOnlyList<TaxiiLogEntry?>>([.. entries]), default);
            again.AddRange(result.Items);
            if (!result.More)
            {
                break;
            }
            positions = result.Next!;
        }
        Assert.Equal(served.Select(e => (e.Id, e.DateAdded)), again.Select(e => (e.Id, e.DateAdded)));
    }

    /// <summary>The hazard itself, made to happen: partition B holds an entry dated ahead of partition A's clock (a
    /// writer's proposal), and A is about to append an entry dated between the two. Served at once, B's entry would move
    /// the reader's checkpoint past A's coming entry, which it would then skip forever. The watermark holds B's entry
    /// until A has promised (raised its floor to) B's date, so A's entry comes after it.</summary>
    [Fact]
    public async Task An_entry_dated_ahead_of_another_partition_waits_until_that_partition_promised_not_to_append_below_it()
    {
        var collection = "hazard-" + Guid.NewGuid().ToString("N");
        string IdIn(int partition)
        {
            while (true)
            {
                var id = "x-hz--" + Guid.NewGuid().ToString("N");
                if (TaxiiLogPartitioning.PartitionOf(id, Partitions) == partition)
                {
                    return id;
                }
            }
        }
        ITaxiiLogPartitionGrain Partition(int i) => Grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collection, Partitions, i));
        var (a, b) = (IdIn(0), IdIn(1));
        var merge = new TaxiiLogMerge(Grains, Partitions);
        async Task<IReadOnlyList<TaxiiLogEntry>> ReadAfterAsync(DateTimeOffset? after) => (await merge.ReadAsync<TaxiiLogEntry>(collection,
            new TaxiiFilter(null, null, ["all"], null, after, 10, new long[Partitions]),
            entries => Task.FromResult<IReadOnlyList<TaxiiLogEntry?>>([.. entries]), default)).Items;

        var now = DateTimeOffset.UtcNow;
        await Partition(1).AppendAsync([new TaxiiLogAppend(b, "x-hz", null, null, "2.1", 1, Proposed: now + TimeSpan.FromSeconds(1.5))]);
        var first = await ReadAfterAsync(null);
        var served = Assert.Single(first);
        Assert.Equal(b, served.Id);
        Assert.True(served.DateAdded > DateTimeOffset.UtcNow, "the test needs B's entry dated ahead of the clock");

        await Partition(0).AppendAsync([new TaxiiLogAppend(a, "x-hz", null, null, "2.1", 2, Proposed: now + TimeSpan.FromSeconds(0.5))]);
        var second = await ReadAfterAsync(served.DateAdded);
        Assert.Equal(a, Assert.Single(second).Id);
        Assert.True(second[0].DateAdded > served.DateAdded);
    }

    [Fact]
    public async Task Federation_style_polling_over_http_gets_every_object_once_while_ingest_runs_and_grains_are_deactivated()
    {
        var type = Stix.NewType();
        const int writers = 4, posts = 8, perPost = 10;
        var posted = new List<string>();
        var writing = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var p = 0; p < posts; p++)
            {
                var objects = Enumerable.Range(0, perPost).Select(_ => Stix.Custom(type)).ToList();
                var status = await _api.PostObjectsAsync(objects);
                Assert.True(status["success_count"]!.GetValue<int>() == perPost, status.ToJsonString());
                lock (posted)
                {
                    posted.AddRange(objects.Select(o => o["id"]!.GetValue<string>()));
                }
            }
        })).ToList();

        var received = new List<string>();
        string? checkpoint = null;
        DateTimeOffset last = default;
        var deactivated = false;
        var clock = Stopwatch.StartNew();
        for (var poll = 0; !writing.All(t => t.IsCompleted) || received.Count < writers * posts * perPost; poll++)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"after {poll} polls only {received.Count} of {posted.Count} objects arrived");
            var url = TaxiiFactory.Collection + $"objects/?match[type]={type}&match[version]=all&limit=7"
                      + (checkpoint is null ? "" : "&added_after=" + Uri.EscapeDataString(checkpoint));
            var (status, body, response) = await _api.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, status);
            var objects = body["objects"]?.AsArray() ?? [];
            if (objects.Count > 0)
            {
                // The checkpoint is the page's X-TAXII-Date-Added-Last, as FederationSync keeps it.
                checkpoint = response.Headers.GetValues("X-TAXII-Date-Added-Last").Single();
                Assert.True(StixTimestamp.TryParse(checkpoint, out var t) && t > last, $"X-TAXII-Date-Added-Last {checkpoint} did not move forward");
                last = t;
                received.AddRange(objects.Select(o => o!["id"]!.GetValue<string>()));
            }
            if (!deactivated && received.Count > writers * posts * perPost / 3)
            {
                deactivated = true;
                await DeactivateEverythingAsync();
            }
        }
        await Task.WhenAll(writing);

        Assert.True(deactivated);
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Equal(posted.Order(), received.Order());
    }
}
