using System.Globalization;
using System.Text.Json.Nodes;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Grains.Indexing;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Tests;

/// <summary>The partitioned search index and alias registry keep everything across deactivation of every grain:
/// sealed segments, the tail, and compacted generations read back to the same answers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SearchIndexPersistenceTests(ClusterFixture fixture)
{
    static readonly AccessDescriptor JpGreen = new(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", []);

    [Fact]
    public async Task Ingested_entries_keys_and_aliases_answer_the_same_after_every_grain_is_deactivated()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var type = $"x-keep-{tag}";
        var objects = Enumerable.Range(0, 40).Select(i =>
        {
            var o = Stix.Sdo(type, name: $"kept {i}");
            o["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = $"K{tag}-{i}" });
            return o;
        }).ToList();
        var alias = Stix.NewId("ipv4-addr");
        var value = $"45.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}";
        var canonical = ObservableNormalizer.CanonicalId("ipv4-addr", "value", value)!;
        var sco = new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = alias, ["value"] = value };
        var report = await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request([.. objects, sco]));
        Assert.Equal(0, report.Totals.Rejected);

        var before = await AnswersAsync();
        Assert.Equal(40, before.Count);
        Assert.Equal(objects[7]["id"]!.GetValue<string>(), before.ByKey);
        Assert.Equal(canonical, before.Canonical);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(before, await AnswersAsync());

        async Task<(string Listed, int Count, string ByKey, string? Canonical)> AnswersAsync()
        {
            var index = fixture.Grains.GetGrain<ISearchIndexGrain>(0);
            var listed = await index.SearchAsync(new IndexQuery([type], null, false, null, 100));
            Assert.Equal(objects.Select(o => o["id"]!.GetValue<string>()).Order(IndexOrder.Instance), listed.Ids);
            var byKey = await index.SearchAsync(new IndexQuery(null, $"k{tag}-7", false, null, 100));
            var counts = await index.TypeCountsAsync(false);
            var resolved = await fixture.Grains.GetGrain<IAliasRegistryGrain>(IAliasRegistryGrain.DefaultKey).ResolveAsync([alias]);
            return (string.Join(",", listed.Ids), counts.Single(c => c.Type == type).Count, string.Join(",", byKey.Ids), resolved.GetValueOrDefault(alias));
        }
    }

    [Fact]
    public async Task A_partition_seals_segments_compacts_superseded_entries_and_reads_back_the_newest_of_each()
    {
        // A partition key outside the routed range: this test alone writes to it.
        var key = 1_000_000 + Random.Shared.Next(1_000_000);
        var partition = fixture.Grains.GetGrain<IIndexPartitionGrain>(key);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var type = $"x-seg-{tag}";
        var ids = Enumerable.Range(0, 2 * IndexPartitionGrain.SegmentSize + 276).Select(_ => Stix.NewId(type)).ToList();
        await UpsertAsync(1, "first");

        Assert.Equal(IndexPartitionGrain.SegmentSize, (await Segment(0, 0)).Count);
        Assert.Equal(IndexPartitionGrain.SegmentSize, (await Segment(0, 1)).Count);
        Assert.Empty(await Segment(0, 2)); // the rest is the tail
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await AssertHoldsAsync("first");

        // Two more revisions of every entry: superseded entries pile up until a compaction writes generation 1.
        await UpsertAsync(2, "second");
        await UpsertAsync(3, "third");
        var generations = new List<int>();
        for (var g = 0; g < 6; g++)
        {
            generations.Add((await Segment(g, 0)).Count);
        }
        // Exactly one generation is live (a compaction ran, at least once), the ones it replaced are cleared.
        Assert.Equal(IndexPartitionGrain.SegmentSize, Assert.Single(generations, n => n > 0));
        Assert.Equal(0, generations[0]);
        await UpsertAsync(2, "stale"); // an older revision arriving late changes nothing
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await AssertHoldsAsync("third");
        Assert.Equal(0, (await partition.SearchAsync(new IndexQuery([type], $"{tag} second", false, null, 10))).TotalCount);
        Assert.Equal(0, (await partition.SearchAsync(new IndexQuery([type], $"{tag} stale", false, null, 10))).TotalCount);

        async Task UpsertAsync(long revision, string name)
        {
            foreach (var batch in ids.Chunk(100))
            {
                await partition.UpsertAsync([.. batch.Select(id => new IndexEntry(id, revision,
                    [new IndexedReport($"{tag} {name} {id}", false, JpGreen, [$"{tag}-{name}"])]))]);
            }
        }

        async Task AssertHoldsAsync(string name)
        {
            var page = await partition.SearchAsync(new IndexQuery([type], $"{tag} {name}", false, null, ids.Count + 1));
            Assert.Equal(ids.Order(IndexOrder.Instance), page.Ids);
            Assert.Equal(ids.Count, page.TotalCount);
            Assert.Equal(ids.Count, (await partition.SearchAsync(new IndexQuery(null, $"{tag}-{name}", false, null, 0))).TotalCount);
        }

        Task<IReadOnlyList<IndexEntry>> Segment(int generation, int n) =>
            fixture.Grains.GetGrain<IIndexSegmentGrain>(string.Create(CultureInfo.InvariantCulture, $"{key}/{generation}/{n}")).GetAsync();
    }
}
