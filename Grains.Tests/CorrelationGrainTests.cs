using System.Globalization;
using ThreatGraph.Stix.Edges;
using System.Text.Json.Nodes;
using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Model;

namespace ThreatGraph.Grains.Tests;

/// <summary>Correlation through real ingest on the in-process cluster: clusters, the guard, aliases.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CorrelationGrainTests(ClusterFixture fixture)
{
    IIngestGrain Ingest => fixture.Grains.GetGrain<IIngestGrain>(0);
    ICorrelationGrain Registry => fixture.Grains.GetGrain<ICorrelationGrain>(0);

    public const int EndToEndSequences = 25;

    [Fact]
    public async Task Clusters_after_random_relationship_inserts_and_revocations_equal_connected_components()
    {
        var random = new Random(20240601);
        for (var sequence = 0; sequence < EndToEndSequences; sequence++)
        {
            var nodes = Enumerable.Range(0, 7).Select(_ => Stix.NewId("malware")).ToList();
            await Ingest.IngestAsync(Stix.Request([.. nodes.Select(n => Stix.Sdo("malware", n, name: n))]));
            var live = new Dictionary<string, (string U, string V)>();
            var log = new List<string>();
            for (var step = 0; step < 14; step++)
            {
                if (live.Count > 0 && random.Next(3) == 0)
                {
                    var id = live.Keys.ElementAt(random.Next(live.Count));
                    var (u, v) = live[id];
                    var revoked = Stix.Relationship(u, "related-to", v, id);
                    revoked["modified"] = "2024-06-01T00:00:00.000Z";
                    revoked["revoked"] = true;
                    await Ingest.IngestAsync(Stix.Request(revoked));
                    live.Remove(id);
                    log.Add($"revoke {Short(u)}-{Short(v)}");
                }
                else
                {
                    var (u, v) = (nodes[random.Next(nodes.Count)], nodes[random.Next(nodes.Count)]);
                    var rel = Stix.Relationship(u, "related-to", v);
                    await Ingest.IngestAsync(Stix.Request(rel));
                    live[rel["id"]!.GetValue<string>()] = (u, v);
                    log.Add($"add {Short(u)}-{Short(v)}");
                }
                await AssertClustersAsync(nodes, live.Values, string.Join("; ", log));
            }
        }
    }

    [Fact]
    public async Task Clusters_equal_connected_components_under_concurrent_ingest_and_after_every_grain_is_deactivated()
    {
        foreach (var seed in Enumerable.Range(100, 8))
        {
            await ConcurrentSequenceAsync(new Random(seed));
        }
    }

    async Task ConcurrentSequenceAsync(Random random)
    {
        var nodes = Enumerable.Range(0, 40).Select(_ => Stix.NewId("malware")).ToList();
        await Ingest.IngestAsync(Stix.Request([.. nodes.Select(n => Stix.Sdo("malware", n, name: n))]));
        var live = new System.Collections.Concurrent.ConcurrentDictionary<string, (string U, string V)>();
        // Six callers at once, each its own stream of bundles: links added, and some of its own links revoked.
        var plans = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 12).Select(_ =>
            (U: nodes[random.Next(nodes.Count)], V: nodes[random.Next(nodes.Count)], Revoke: random.Next(4) == 0)).ToList()).ToList();
        await Task.WhenAll(plans.Select(plan => Task.Run(async () =>
        {
            var mine = new List<JsonObject>();
            foreach (var (u, v, revoke) in plan)
            {
                if (revoke && mine.Count > 0)
                {
                    var old = mine[^1];
                    mine.RemoveAt(mine.Count - 1);
                    var revoked = (JsonObject)old.DeepClone();
                    revoked["modified"] = "2024-06-01T00:00:00.000Z";
                    revoked["revoked"] = true;
                    await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(revoked));
                    live.TryRemove(old["id"]!.GetValue<string>(), out _);
                }
                else
                {
                    var rel = Stix.Relationship(u, "related-to", v);
                    await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(rel));
                    live[rel["id"]!.GetValue<string>()] = (u, v);
                    mine.Add(rel);
                }
            }
        })));
        await AssertClustersAsync(nodes, live.Values, "concurrent ingest");

        // Every activation goes; the clusters come back from storage as they were.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await AssertClustersAsync(nodes, live.Values, "after deactivating every grain");
    }

    [Fact]
    public async Task A_large_cluster_written_as_journal_and_snapshot_comes_back_whole_and_still_splits()
    {
        // A chain of 800 links, sent in 16 bundles: past the journal's limit (500), so the links are written whole once
        // and the rest is journaled; every grain then deactivates and the cluster is read back from both.
        var nodes = Enumerable.Range(0, 801).Select(_ => Stix.NewId("malware")).ToList();
        var links = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 800; i++)
        {
            links.Add(Stix.Relationship(nodes[i], "related-to", nodes[i + 1]));
        }
        await Ingest.IngestAsync(Stix.Request([.. nodes.Select(n => Stix.Sdo("malware", n, name: n))]));
        foreach (var batch in links.Chunk(50))
        {
            await Ingest.IngestAsync(Stix.Request(batch));
        }
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var cluster = await Registry.GetClusterAsync(nodes[0], 0, 0);
        Assert.Equal(801, cluster!.Size);

        // Revoking the 600th link cuts the chain in two: the larger side keeps the id.
        var revoked = (System.Text.Json.Nodes.JsonObject)links[600].DeepClone();
        revoked["modified"] = "2024-06-01T00:00:00.000Z";
        revoked["revoked"] = true;
        await Ingest.IngestAsync(Stix.Request(revoked));
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var ids = await Registry.GetClusterIdsAsync([nodes[0], nodes[600], nodes[601], nodes[800]]);
        Assert.Equal(cluster.Id, ids[nodes[0]]);
        Assert.Equal(ids[nodes[0]], ids[nodes[600]]);
        Assert.Equal(ids[nodes[601]], ids[nodes[800]]);
        Assert.NotEqual(ids[nodes[0]], ids[nodes[800]]);
        Assert.Equal(601, (await Registry.GetClusterAsync(nodes[0], 0, 0))!.Size);
        Assert.Equal(200, (await Registry.GetClusterAsync(nodes[800], 0, 0))!.Size);
    }

    async Task AssertClustersAsync(List<string> nodes, IEnumerable<(string U, string V)> edges, string log)
    {
        var graph = new UndirectedGraph<string, UndirectedEdge<string>>(allowParallelEdges: true);
        graph.AddVertexRange(nodes);
        foreach (var (u, v) in edges.Where(e => e.U != e.V))
        {
            graph.AddEdge(new UndirectedEdge<string>(string.CompareOrdinal(u, v) < 0 ? u : v, string.CompareOrdinal(u, v) < 0 ? v : u));
        }
        var components = new ConnectedComponentsAlgorithm<string, UndirectedEdge<string>>(graph);
        components.Compute();
        var expected = Partition(components.Components.ToDictionary(x => x.Key, x => x.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var known = await Registry.GetClusterIdsAsync(nodes);
        var actual = Partition(nodes.ToDictionary(n => n, n => known.GetValueOrDefault(n) ?? "singleton:" + n));
        if (!expected.SetEquals(actual))
        {
            var dump = new System.Text.StringBuilder();
            foreach (var n in nodes.Where(n => known.GetValueOrDefault(n) is null))
            {
                var fact = await fixture.Grains.GetNode(n).GetCorrelationAsync();
                dump.Append(CultureInfo.InvariantCulture, $"\n{Short(n)} pointer {fact.ClusterId}");
                var c = fact.ClusterId;
                for (var hop = 0; c is not null && hop < 10; hop++)
                {
                    var place = (await fixture.Grains.GetGrain<IClusterGrain>(c).LocateAsync([n]))[n];
                    dump.Append(CultureInfo.InvariantCulture, $" -> {place.Kind} {place.Cluster}");
                    c = place.Kind is NodePlaceKind.Here or NodePlaceKind.NotHere ? null : place.Cluster;
                }
            }
            // Which links the clusters hold that are no longer live (a revocation lost), and live ones no cluster holds.
            static string Pair(string u, string v) => string.CompareOrdinal(u, v) < 0 ? $"{Short(u)}-{Short(v)}" : $"{Short(v)}-{Short(u)}";
            var live = edges.Where(e => e.U != e.V).Select(e => Pair(e.U, e.V)).ToHashSet(StringComparer.Ordinal);
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in nodes.Where(n => known.GetValueOrDefault(n) is not null).GroupBy(n => known[n]).Select(g => g.First()))
            {
                var sub = await Registry.GetLinkSubgraphAsync(member, int.MaxValue, 100_000);
                foreach (var e in sub.Edges)
                {
                    held.Add(Pair(e.SourceId, e.TargetId));
                    if (!live.Contains(Pair(e.SourceId, e.TargetId)))
                    {
                        dump.Append(CultureInfo.InvariantCulture, $"\nheld by {sub.ClusterId} but not live: {Pair(e.SourceId, e.TargetId)} ({e.EdgeId})");
                    }
                }
            }
            dump.Append("\nlive but held by no cluster: ").AppendJoin(", ", live.Where(p => !held.Contains(p)));
            Assert.Fail($"after [{log}]: expected {string.Join(" | ", expected)}, got {string.Join(" | ", actual)}{dump}");
        }
    }

    static HashSet<string> Partition(Dictionary<string, string> assignment) =>
        [.. assignment.GroupBy(x => x.Value).Select(g => string.Join(",", g.Select(x => Short(x.Key)).Order(StringComparer.Ordinal)))];

    static string Short(string id) => id[^4..];

    [Fact]
    public async Task A_shared_public_resolver_does_not_link_campaigns_and_says_why_but_a_shared_domain_does()
    {
        var (a, b) = (Stix.NewId("campaign"), Stix.NewId("campaign"));
        var domain = $"c2-{Guid.NewGuid():N}.test";
        var objects = new List<JsonObject> { Stix.Sdo("campaign", a, name: "A"), Stix.Sdo("campaign", b, name: "B") };
        var (ia, ib) = (Indicator("[ipv4-addr:value = '8.8.8.8']"), Indicator("[ipv4-addr:value = '8.8.8.8']"));
        objects.AddRange([ia, ib, Rel(ia, "indicates", a), Rel(ib, "indicates", b)]);
        await Ingest.IngestAsync(Stix.Request([.. objects]));

        var clusters = await Registry.GetClusterIdsAsync([a, b]);
        Assert.NotEqual(clusters[a], clusters[b]);
        var resolver = ObservableNormalizer.CanonicalId("ipv4-addr", "value", "8.8.8.8")!;
        var reasons = await Registry.GetExclusionsAsync([resolver]);
        Assert.Contains("warninglist builtin-public-dns-resolvers", reasons[resolver], StringComparison.Ordinal);

        var (da, db) = (Indicator($"[domain-name:value = '{domain}']"), Indicator($"[domain-name:value = '{domain.ToUpperInvariant()}.']"));
        await Ingest.IngestAsync(Stix.Request(da, db, Rel(da, "indicates", a), Rel(db, "indicates", b)));
        clusters = await Registry.GetClusterIdsAsync([a, b]);
        Assert.Equal(clusters[a], clusters[b]);
        var cluster = await Registry.GetClusterAsync(a, 0, 100);
        Assert.Contains(a, cluster!.Campaigns);
        Assert.Contains(b, cluster.Campaigns);
    }

    [Fact]
    public async Task An_observable_over_the_degree_cap_stops_linking()
    {
        var (a, b) = (Stix.NewId("campaign"), Stix.NewId("campaign"));
        var domain = $"busy-{Guid.NewGuid():N}.test";
        var indicators = Enumerable.Range(0, CorrelationOptions.DefaultMaxObservableDegree + 1)
            .Select(_ => Indicator($"[domain-name:value = '{domain}']")).ToList();
        await Ingest.IngestAsync(Stix.Request([Stix.Sdo("campaign", a), Stix.Sdo("campaign", b), .. indicators,
            Rel(indicators[0], "indicates", a), Rel(indicators[1], "indicates", b)]));

        var clusters = await Registry.GetClusterIdsAsync([a, b]);
        Assert.NotEqual(clusters[a], clusters[b]);
        var node = ObservableNormalizer.CanonicalId("domain-name", "value", domain)!;
        Assert.StartsWith("more linking edges than the cap of 200", (await Registry.GetExclusionsAsync([node]))[node], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_observable_with_a_random_id_is_an_alias_of_the_canonical_node_and_refs_to_it_land_there()
    {
        var alias = Stix.NewId("ipv4-addr");
        var value = $"45.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}";
        var canonical = ObservableNormalizer.CanonicalId("ipv4-addr", "value", value)!;
        var sco = new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = alias, ["value"] = value };
        var campaign = Stix.NewId("campaign");
        await Ingest.IngestAsync(Stix.Request(sco, Stix.Sdo("campaign", campaign)));
        var rel = Stix.Relationship(campaign, "uses", alias);
        await Ingest.IngestAsync(Stix.Request(rel));

        var resolved = await fixture.Grains.GetGrain<IAliasRegistryGrain>(IAliasRegistryGrain.DefaultKey).ResolveAsync([alias]);
        Assert.Equal(canonical, resolved[alias]);
        var view = await fixture.Grains.GetNode(canonical).GetViewAsync();
        Assert.False(view!.IsPlaceholder);
        var edges = await fixture.Grains.GetNode(canonical).GetEdgesAsync(EdgeQuery.All);
        Assert.Contains(edges.Items, e => e.Kind == "uses" && e.PeerId == campaign);
        Assert.Contains(edges.Items, e => e.Kind == DeclaredEdges.AliasOf && e.PeerId == alias);
        var clusters = await Registry.GetClusterIdsAsync([alias, canonical, campaign]);
        Assert.Single(clusters.Values.Distinct());
    }

    [Fact]
    public async Task Linked_campaigns_of_a_node_whose_pointer_names_a_merged_away_cluster_follow_it_to_the_live_one()
    {
        // {c1, m1} and the larger {c2, m2, c3} merge through m1-m2: the smaller is sealed into the larger, and c1 keeps
        // pointing at it. The read asks c1's pointer first, meets a forward, and must still answer from the live cluster.
        var (c1, c2, c3) = (Stix.NewId("campaign"), Stix.NewId("campaign"), Stix.NewId("campaign"));
        var (m1, m2) = (Stix.NewId("malware"), Stix.NewId("malware"));
        await Ingest.IngestAsync(Stix.Request(Stix.Sdo("campaign", c1), Stix.Sdo("campaign", c2), Stix.Sdo("campaign", c3),
            Stix.Sdo("malware", m1, name: m1), Stix.Sdo("malware", m2, name: m2)));
        await Ingest.IngestAsync(Stix.Request(Stix.Relationship(c1, "related-to", m1)));
        await Ingest.IngestAsync(Stix.Request(Stix.Relationship(c2, "related-to", m2), Stix.Relationship(c3, "related-to", m2)));
        var before = (await fixture.Grains.GetNode(c1).GetCorrelationAsync()).ClusterId;
        await Ingest.IngestAsync(Stix.Request(Stix.Relationship(m1, "related-to", m2)));

        var live = (await Registry.GetClusterIdsAsync([c1]))[c1];
        Assert.Equal(before, (await fixture.Grains.GetNode(c1).GetCorrelationAsync()).ClusterId);
        Assert.NotEqual(before, live);
        var linked = await fixture.Grains.GetGrain<ICorrelationQueryGrain>(0).LinkedCampaignsAsync(c1, 6, 100, 10);
        Assert.Equal(new[] { c2, c3 }.Order(StringComparer.Ordinal), linked.Links.Select(l => l.CampaignId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_revocation_waits_for_a_merge_that_holds_its_cluster_for_seconds_and_is_not_dropped()
    {
        // A chain a-b-c; a writer merging into the cluster reserves it (no split meanwhile). The revocation of b-c meets
        // the reservation for 6 s, longer than the 256 quick retries that used to give up and drop the removal.
        var (a, b, c) = (Stix.NewId("malware"), Stix.NewId("malware"), Stix.NewId("malware"));
        await Ingest.IngestAsync(Stix.Request(Stix.Sdo("malware", a, name: a), Stix.Sdo("malware", b, name: b), Stix.Sdo("malware", c, name: c)));
        var bc = Stix.Relationship(b, "related-to", c);
        await Ingest.IngestAsync(Stix.Request(Stix.Relationship(a, "related-to", b), bc));
        var cluster = (await Registry.GetClusterIdsAsync([a]))[a];
        Assert.True(await fixture.Grains.GetGrain<IClusterGrain>(cluster).ReserveAsync("test-merge", [a]));

        var revoked = (JsonObject)bc.DeepClone();
        revoked["modified"] = "2024-06-01T00:00:00.000Z";
        revoked["revoked"] = true;
        var revocation = Ingest.IngestAsync(Stix.Request(revoked));
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(revocation.IsCompleted);
        await fixture.Grains.GetGrain<IClusterGrain>(cluster).UnreserveAsync("test-merge");
        Assert.Equal(UpsertOutcome.Updated, Assert.Single((await revocation).Objects).Outcome);

        var ids = await Registry.GetClusterIdsAsync([a, b, c]);
        Assert.Equal(ids[a], ids[b]);
        Assert.False(ids.ContainsKey(c));
    }

    static JsonObject Indicator(string pattern)
    {
        var i = Stix.Sdo("indicator");
        i["pattern"] = pattern;
        i["pattern_type"] = "stix";
        i["valid_from"] = "2024-01-01T00:00:00.000Z";
        return i;
    }

    static JsonObject Rel(JsonObject source, string kind, string target) => Stix.Relationship(source["id"]!.GetValue<string>(), kind, target);
}
