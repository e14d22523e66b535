using System.Text.Json.Nodes;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Edges;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Bench.Generator.Tests;

public sealed class ThreatGraphGeneratorTests(GeneratedGraphFixture fixture) : IClassFixture<GeneratedGraphFixture>
{
    readonly GeneratedGraph _graph = fixture.Graph;

    [Fact]
    public void Same_seed_gives_identical_output()
    {
        var again = ThreatGraphGenerator.Generate(GeneratedGraphFixture.Seed, GraphSize.Tiny);
        Assert.Equal(_graph.Objects.Select(o => o.ToJsonString()), again.Objects.Select(o => o.ToJsonString()));
        Assert.Equal(_graph.Edges, again.Edges);
        Assert.Equal(_graph.Nodes, again.Nodes);
    }

    [Fact]
    public void Another_seed_gives_other_ids()
    {
        var other = ThreatGraphGenerator.Generate(GeneratedGraphFixture.Seed + 1, GraphSize.Tiny);
        var sdoIds = _graph.Nodes.Where(n => n.Type == "indicator").Select(n => n.Id).ToHashSet();
        Assert.DoesNotContain(other.Nodes.Where(n => n.Type == "indicator"), n => sdoIds.Contains(n.Id));
    }

    [Fact]
    public void Every_object_passes_the_validator()
    {
        var failures = _graph.Objects
            .Select(o => (Id: (string)o["id"]!, Errors: StixValidator.Validate(o).Where(i => i.Severity == IssueSeverity.Error).ToList()))
            .Where(x => x.Errors.Count > 0)
            .Select(x => $"{x.Id}: {string.Join("; ", x.Errors.Select(e => e.Path + " " + e.Message))}")
            .ToList();
        Assert.Empty(failures);
    }

    [Fact]
    public void Node_count_is_the_requested_size_and_ids_are_unique()
    {
        Assert.Equal(GraphSize.Tiny.Nodes, _graph.Nodes.Count);
        Assert.Equal(_graph.Nodes.Count, _graph.Nodes.Select(n => n.Id).Distinct().Count());
        Assert.Equal(_graph.Objects.Count, _graph.Objects.Select(o => (string)o["id"]!).Distinct().Count());
    }

    /// <summary>The organisation the generated bundle is ingested as (an observable's refs name their reporter).</summary>
    const string Reporter = "jp-nisc";

    [Fact]
    public void Edges_are_exactly_those_ThreatGraph_derives()
    {
        var derived = new HashSet<GenEdge>();
        foreach (var json in _graph.Objects)
        {
            var obj = new StixObject(json);
            foreach (var e in DeclaredEdges.Own(obj, Reporter))
            {
                derived.Add(new GenEdge(e.Id, e.Kind, e.SourceId, e.TargetId));
            }
            if (DeclaredEdges.Relationship(obj) is { } relationship)
            {
                derived.Add(new GenEdge(relationship.Id, relationship.Kind, relationship.SourceId, relationship.TargetId));
            }
        }
        Assert.Equal(derived.Count, _graph.Edges.Count);
        Assert.True(derived.SetEquals(_graph.Edges), "generated edges differ from DeclaredEdges'");
    }

    [Fact]
    public void Every_edge_endpoint_is_a_node()
    {
        var ids = _graph.Nodes.Select(n => n.Id).ToHashSet();
        Assert.Empty(_graph.Edges.Where(e => !ids.Contains(e.Source) || !ids.Contains(e.Target)).Select(e => e.Id));
    }

    [Fact]
    public void Planted_links_are_present_in_the_edges()
    {
        Assert.NotEmpty(_graph.Truth.Links);
        var edges = _graph.Edges.Select(e => (e.Kind, e.Source, e.Target)).ToHashSet();
        foreach (var l in _graph.Truth.Links)
        {
            Assert.Contains(("indicates", l.IndicatorA, l.CampaignA), edges);
            Assert.Contains(("indicates", l.IndicatorB, l.CampaignB), edges);
            Assert.Contains((EdgeKinds.PatternNames, l.IndicatorA, l.Observable), edges);
            Assert.Contains((EdgeKinds.PatternNames, l.IndicatorB, l.Observable), edges);
        }
    }

    [Fact]
    public void Linked_campaigns_by_search_are_exactly_the_planted_clusters()
    {
        var type = _graph.Nodes.ToDictionary(n => n.Id, n => n.Type);
        var adj = new Dictionary<string, List<string>>();
        foreach (var e in _graph.Edges.Where(e => EdgeKinds.IsLink(e.Kind, type[e.Source], type[e.Target])))
        {
            (adj.TryGetValue(e.Source, out var a) ? a : adj[e.Source] = []).Add(e.Target);
            (adj.TryGetValue(e.Target, out var b) ? b : adj[e.Target] = []).Add(e.Source);
        }
        var inCluster = _graph.Truth.CampaignClusters.SelectMany(c => c).ToHashSet();
        foreach (var campaign in _graph.Nodes.Where(n => n.Type == "campaign").Select(n => n.Id))
        {
            var seen = new HashSet<string> { campaign };
            var queue = new Queue<string>([campaign]);
            while (queue.TryDequeue(out var x))
            {
                foreach (var y in adj.GetValueOrDefault(x) ?? []) if (seen.Add(y)) queue.Enqueue(y);
            }
            var linked = seen.Where(id => type[id] == "campaign").Order(StringComparer.Ordinal).ToList();
            var expected = _graph.Truth.CampaignClusters.FirstOrDefault(c => c.Contains(campaign))?.Order(StringComparer.Ordinal).ToList()
                           ?? [campaign];
            Assert.Equal(expected, linked);
            Assert.Equal(inCluster.Contains(campaign), linked.Count > 1);
        }
    }

    [Fact]
    public void Supernodes_are_super()
    {
        var degree = _graph.Edges.SelectMany(e => new[] { e.Source, e.Target }).CountBy(x => x).ToDictionary();
        var domains = _graph.Nodes.Count(n => n.Type == "domain-name");
        var toResolver = _graph.Edges.Where(e => e.Kind == "resolves_to_refs" && _graph.Truth.Resolvers.Contains(e.Target))
            .Select(e => e.Source).Distinct().Count();
        Assert.InRange(toResolver, domains / 6, domains / 3);
        var median = degree.Values.Order().ElementAt(degree.Count / 2);
        Assert.All(_graph.Truth.PopularMalware, m => Assert.True(degree[m] > 20 * median, $"{m} has degree {degree[m]}"));
    }

    [Fact]
    public void Reports_come_from_the_two_identities()
    {
        var authors = _graph.Objects.Where(o => (string)o["type"]! == "report").Select(o => (string)o["created_by_ref"]!).Distinct().Order().ToList();
        Assert.Equal(_graph.Truth.Reporters.Order().ToList(), authors);
    }

    [Fact]
    public void Written_bundles_hold_every_object_and_respect_the_size_cap()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tg-gen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var manifest = DatasetWriter.Write(_graph, folder);
            var ids = new List<string>();
            foreach (var file in Directory.GetFiles(Path.Combine(folder, "bundles")).Order())
            {
                var bundle = BundleReader.Read(File.ReadAllBytes(file));
                Assert.DoesNotContain(bundle.EnvelopeIssues, i => i.Severity == IssueSeverity.Error);
                Assert.InRange(bundle.Entries.Count, 1, DatasetWriter.MaxObjectsPerBundle);
                ids.AddRange(bundle.Entries.Select(e => (string)e.Json!["id"]!));
            }
            Assert.Equal(_graph.Objects.Select(o => (string)o["id"]!), ids);
            Assert.Equal(manifest, DatasetWriter.ReadManifest(folder));
            var edgeLines = File.ReadAllLines(Path.Combine(folder, "edges.csv")).Skip(1).Select(DatasetWriter.SplitCsv).ToList();
            Assert.Equal(_graph.Edges, edgeLines.Select(f => new GenEdge(f[0], f[1], f[2], f[3])));
            Assert.Equal(_graph.Nodes.Count, File.ReadAllLines(Path.Combine(folder, "nodes.csv")).Length - 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Delta_units_are_valid_and_new()
    {
        var malware = _graph.Truth.PopularMalware;
        var existing = _graph.Nodes.Select(n => n.Id).ToHashSet();
        for (var i = 0; i < 50; i++)
        {
            var (objects, nodes, edges) = ThreatGraphGenerator.DeltaUnit(GeneratedGraphFixture.Seed, i, malware);
            Assert.Equal(3, objects.Length);
            Assert.All(objects, o => Assert.True(StixValidator.IsValid(StixValidator.Validate(o)), o.ToJsonString()));
            Assert.DoesNotContain(nodes, n => existing.Contains(n.Id));
            Assert.Equal(2, edges.Length);
        }
        Assert.Equal(ThreatGraphGenerator.DeltaUnit(1, 3, malware).Objects.Select(o => o.ToJsonString()),
            ThreatGraphGenerator.DeltaUnit(1, 3, malware).Objects.Select(o => o.ToJsonString()));
    }

    [Fact]
    public void Campaign_member_units_are_valid_and_link_only_to_their_campaign()
    {
        var campaigns = _graph.Nodes.Where(n => n.Type == "campaign").Select(n => n.Id).Take(3).ToList();
        var existing = _graph.Nodes.Select(n => n.Id).ToHashSet();
        for (var i = 0; i < 50; i++)
        {
            var (objects, nodes, edges) = ThreatGraphGenerator.CampaignMemberUnit(GeneratedGraphFixture.Seed, i, campaigns);
            Assert.All(objects, o => Assert.True(StixValidator.IsValid(StixValidator.Validate(o)), o.ToJsonString()));
            var indicator = Assert.Single(nodes);
            Assert.Equal("indicator", indicator.Type);
            Assert.DoesNotContain(indicator.Id, existing);
            Assert.Empty(DeclaredEdges.Own(new StixObject(objects[0]), Reporter)); // the pattern names no observable
            Assert.Equal(new GenEdge(edges.Single().Id, "indicates", indicator.Id, campaigns[i % campaigns.Count]), edges.Single());
        }
    }
}
