using ThreatGraph.Stix.Edges;
using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.TestSupport;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IngestGrainTests(ClusterFixture fixture)
{
    IIngestGrain Ingest => fixture.Grains.GetGrain<IIngestGrain>(0);

    [Fact]
    public async Task Versioning_newer_replaces_older_or_equal_is_unchanged_and_history_is_kept()
    {
        var id = Stix.NewId("campaign");
        var v1 = Stix.Sdo("campaign", id, "2024-01-01T00:00:00.000Z", "Op One");
        var v2 = Stix.Sdo("campaign", id, "2024-02-01T00:00:00.000Z", "Op One (renamed)");

        Assert.Equal(UpsertOutcome.Created, (await Ingest.IngestAsync(Stix.Request(v1))).Objects[0].Outcome);
        Assert.Equal(UpsertOutcome.Updated, (await Ingest.IngestAsync(Stix.Request(v2))).Objects[0].Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, (await Ingest.IngestAsync(Stix.Request(v1))).Objects[0].Outcome);
        Assert.Equal(UpsertOutcome.Unchanged, (await Ingest.IngestAsync(Stix.Request(v2))).Objects[0].Outcome);

        var node = fixture.Grains.GetNode(id);
        var view = await node.GetViewAsync();
        Assert.Equal("Op One (renamed)", JsonNode.Parse(view!.Json!)!["name"]!.GetValue<string>());
        Assert.Equal(2, (await node.GetVersionsAsync()).Count);
    }

    [Fact]
    public async Task Revoked_version_hides_from_index_by_default_but_keeps_history()
    {
        var id = Stix.NewId("campaign");
        var name = "revoke-me-" + Guid.NewGuid().ToString("N");
        await Ingest.IngestAsync(Stix.Request(Stix.Sdo("campaign", id, name: name)));
        var revoked = Stix.Sdo("campaign", id, "2024-03-01T00:00:00.000Z", name);
        revoked["revoked"] = true;
        Assert.Equal(UpsertOutcome.Updated, (await Ingest.IngestAsync(Stix.Request(revoked))).Objects[0].Outcome);

        var index = fixture.Grains.GetGrain<ISearchIndexGrain>(0);
        Assert.Equal(0, (await index.SearchAsync(new IndexQuery(["campaign"], name, IncludeRevoked: false, null, 10))).TotalCount);
        Assert.Equal(1, (await index.SearchAsync(new IndexQuery(["campaign"], name, IncludeRevoked: true, null, 10))).TotalCount);
        var view = await fixture.Grains.GetNode(id).GetViewAsync();
        Assert.True(view!.Revoked);
        Assert.Equal(2, view.VersionCount);
    }

    [Fact]
    public async Task Relationship_becomes_an_edge_on_both_endpoints_and_a_missing_endpoint_is_a_placeholder_that_fills_in()
    {
        var actor = Stix.Sdo("intrusion-set", name: "Set A");
        var malwareId = Stix.NewId("malware");
        var rel = Stix.Relationship(actor["id"]!.GetValue<string>(), "uses", malwareId);

        var first = await Ingest.IngestAsync(Stix.Request(actor, rel));
        Assert.Equal(0, first.Totals.Rejected);

        var placeholder = await fixture.Grains.GetNode(malwareId).GetViewAsync();
        Assert.NotNull(placeholder);
        Assert.True(placeholder.IsPlaceholder);

        var malware = Stix.Sdo("malware", malwareId, name: "Implant");
        malware["is_family"] = true;
        Assert.Equal(UpsertOutcome.Created, (await Ingest.IngestAsync(Stix.Request(malware))).Objects[0].Outcome);

        var relId = rel["id"]!.GetValue<string>();
        var outEdges = await fixture.Grains.GetNode(actor["id"]!.GetValue<string>()).GetEdgesAsync(new EdgeQuery(EdgeDirection.Out));
        var inEdges = await fixture.Grains.GetNode(malwareId).GetEdgesAsync(new EdgeQuery(EdgeDirection.In));
        Assert.Contains(outEdges.Items, e => e.EdgeId == relId && e.Kind == "uses" && e.PeerId == malwareId);
        Assert.Contains(inEdges.Items, e => e.EdgeId == relId && e.Kind == "uses" && e.PeerId == actor["id"]!.GetValue<string>());
        var filled = await fixture.Grains.GetNode(malwareId).GetViewAsync();
        Assert.False(filled!.IsPlaceholder);
    }

    [Fact]
    public async Task One_invalid_object_is_rejected_with_its_path_and_the_others_are_applied()
    {
        var good = Stix.Sdo("campaign", name: "Good");
        var bad = Stix.Sdo("campaign", name: "Bad");
        bad["modified"] = "2023-01-01T00:00:00.000Z"; // before created
        var report = await Ingest.IngestAsync(Stix.Request(good, bad));

        Assert.Equal(UpsertOutcome.Created, report.Objects[0].Outcome);
        Assert.Equal(UpsertOutcome.Rejected, report.Objects[1].Outcome);
        Assert.All(report.Objects[1].Errors, e => Assert.StartsWith("$.objects[1]", e.Path));
        Assert.Null(await fixture.Grains.GetNode(bad["id"]!.GetValue<string>()).GetViewAsync());
    }

    [Fact]
    public async Task Indicator_pattern_links_to_the_observable_it_names_by_deterministic_id()
    {
        var indicator = Stix.Sdo("indicator", name: "C2");
        indicator["pattern"] = "[ipv4-addr:value = '198.51.100.77']";
        indicator["pattern_type"] = "stix";
        indicator["valid_from"] = "2024-01-01T00:00:00Z";
        var sco = new JsonObject { ["type"] = "ipv4-addr", ["value"] = "198.51.100.77" };
        var scoId = ThreatGraph.Stix.Identifiers.ScoId.Compute(sco);
        Assert.NotNull(scoId);

        await Ingest.IngestAsync(Stix.Request(indicator));
        var edges = await fixture.Grains.GetNode(scoId).GetEdgesAsync(new EdgeQuery(EdgeDirection.In, [DeclaredEdges.PatternNames]));
        Assert.Equal(indicator["id"]!.GetValue<string>(), Assert.Single(edges.Items).PeerId);
    }

    [Fact]
    public async Task Ics_attack_bundle_ingests_without_rejections_counts_match_and_a_second_ingest_is_all_unchanged()
    {
        var bundle = JsonNode.Parse(SharedData.Bytes("mitre-attack/ics-attack-18.1.json"))!.AsObject();
        var objects = bundle["objects"]!.AsArray().Select(o => o!.AsObject()).ToArray();
        var request = new IngestRequest(bundle["id"]!.GetValue<string>(),
            [.. objects.Select((o, i) => new IngestEntry(i, $"$.objects[{i}]", o.ToJsonString()))]);

        // Other tests in this cluster add objects too: compare what this ingest added.
        var types = objects.GroupBy(o => o["type"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        var index = fixture.Grains.GetGrain<ISearchIndexGrain>(0);
        var before = (await index.TypeCountsAsync(includeRevoked: true)).ToDictionary(c => c.Type, c => c.Count);

        var first = await Ingest.IngestAsync(request);
        Assert.Empty(first.Objects.Where(o => o.Outcome == UpsertOutcome.Rejected).Select(o => $"{o.Id}: {string.Join("; ", o.Errors)}"));
        Assert.Equal(objects.Length, first.Totals.Created + first.Totals.Updated + first.Totals.Unchanged);

        var after = (await index.TypeCountsAsync(includeRevoked: true)).ToDictionary(c => c.Type, c => c.Count);
        foreach (var (type, count) in types)
        {
            Assert.Equal(before.GetValueOrDefault(type) + count, after[type]);
        }

        foreach (var rel in objects.Where(o => o["type"]!.GetValue<string>() == "relationship"))
        {
            var relId = rel["id"]!.GetValue<string>();
            var source = await fixture.Grains.GetNode(rel["source_ref"]!.GetValue<string>()).GetEdgesAsync(new EdgeQuery(EdgeDirection.Out, IncludeRevoked: true));
            var target = await fixture.Grains.GetNode(rel["target_ref"]!.GetValue<string>()).GetEdgesAsync(new EdgeQuery(EdgeDirection.In, IncludeRevoked: true));
            Assert.Contains(source.Items, e => e.EdgeId == relId);
            Assert.Contains(target.Items, e => e.EdgeId == relId);
        }

        var second = await Ingest.IngestAsync(request);
        Assert.Equal(objects.Length, second.Totals.Unchanged);
    }
}
