using System.Text.Json.Nodes;
using ThreatGraph.Stix.Edges;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Tests;

public sealed class DeclaredEdgesTests
{
    const string Campaign = "campaign--11111111-1111-4111-8111-111111111111";
    const string Identity = "identity--22222222-2222-4222-8222-222222222222";

    static StixObject Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void An_sdo_declares_its_refs_once_each_without_self_refs_or_malformed_ids()
    {
        var campaign = Parse($$"""
            {"type":"campaign","spec_version":"2.1","id":"{{Campaign}}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",
             "name":"c","created_by_ref":"{{Identity}}","x_self_ref":"{{Campaign}}","x_mitre_data_source_ref":""}
            """);

        var edges = DeclaredEdges.Own(campaign, "jp-nisc");

        Assert.Equal([new DeclaredEdge($"ref:{Campaign}|created_by_ref|{Identity}", "created_by_ref", Campaign, Identity)], edges);
    }

    [Fact]
    public void An_indicator_names_the_canonical_observable_of_its_pattern_and_an_observable_names_its_reporter()
    {
        var ip = ObservableNormalizer.CanonicalId("ipv4-addr", "value", "198.51.100.7")!;
        var indicator = Parse("""
            {"type":"indicator","spec_version":"2.1","id":"indicator--33333333-3333-4333-8333-333333333333","created":"2024-01-01T00:00:00.000Z",
             "modified":"2024-01-01T00:00:00.000Z","pattern_type":"stix","pattern":"[ipv4-addr:value = '198.51.100.7']","valid_from":"2024-01-01T00:00:00Z"}
            """);
        Assert.Equal([new DeclaredEdge($"ref:{indicator.Id}|pattern-names|{ip}", DeclaredEdges.PatternNames, indicator.Id, ip)],
            DeclaredEdges.Own(indicator, "jp-nisc"));

        var random = "ipv4-addr--44444444-4444-4444-8444-444444444444";
        var observable = Parse($$"""{"type":"ipv4-addr","spec_version":"2.1","id":"{{random}}","value":"198.51.100.7"}""");
        Assert.Equal([new DeclaredEdge($"ref:{random}|alias-of|{ip}|us-cisa", DeclaredEdges.AliasOf, random, ip)],
            DeclaredEdges.Own(observable, "us-cisa"));
    }

    [Fact]
    public void A_relationship_is_one_edge_under_its_own_id_between_the_canonical_ends()
    {
        var alias = "ipv4-addr--55555555-5555-4555-8555-555555555555";
        var canonical = ObservableNormalizer.CanonicalId("ipv4-addr", "value", "203.0.113.9")!;
        var relationship = Parse($$"""
            {"type":"relationship","spec_version":"2.1","id":"relationship--66666666-6666-4666-8666-666666666666","created":"2024-01-01T00:00:00.000Z",
             "modified":"2024-01-01T00:00:00.000Z","relationship_type":"uses","source_ref":"{{Campaign}}","target_ref":"{{alias}}"}
            """);

        var edge = DeclaredEdges.Relationship(relationship, new Dictionary<string, string> { [alias] = canonical });

        Assert.Equal(new DeclaredEdge(relationship.Id, "uses", Campaign, canonical), edge);
        Assert.Null(DeclaredEdges.Relationship(Parse($$"""{"type":"campaign","id":"{{Campaign}}"}""")));
    }
}
