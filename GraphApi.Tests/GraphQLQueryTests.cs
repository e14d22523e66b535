using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class GraphQLQueryTests(ApiFactory api)
{
    /// <summary>intrusion-set --uses--> malware --targets--> identity, the malware referring to a report not sent.</summary>
    async Task<(string Set, string Malware, string Victim, string Rel)> SmallGraphAsync()
    {
        var set = StixBuilder.Sdo("intrusion-set", name: "Set " + Guid.NewGuid().ToString("N")[..8]);
        var malware = StixBuilder.Sdo("malware", name: "Implant");
        malware["is_family"] = true;
        var victim = StixBuilder.Sdo("identity", name: "Victim org");
        var uses = StixBuilder.Relationship(set["id"]!.GetValue<string>(), "uses", malware["id"]!.GetValue<string>());
        var targets = StixBuilder.Relationship(malware["id"]!.GetValue<string>(), "targets", victim["id"]!.GetValue<string>());
        var (status, report) = await api.PostBundleAsync(ApiFactory.Bundle(set, malware, victim, uses, targets));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, report["totals"]!["rejected"]!.GetValue<int>());
        return (set["id"]!.GetValue<string>(), malware["id"]!.GetValue<string>(), victim["id"]!.GetValue<string>(), uses["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Object_returns_typed_fields_the_stix_json_and_relationships_in_both_directions()
    {
        var (set, malware, _, rel) = await SmallGraphAsync();
        var data = await api.DataAsync("""
            query($id: ID!) {
              object(id: $id) {
                __typename id type name stix placeholder
                ... on Malware { isFamily }
                incoming: relationships(direction: IN) { totalCount edges { node { id kind direction peer { id __typename } } } }
                outgoing: relationships(direction: OUT) { totalCount edges { node { kind peerId } } }
              }
            }
            """, new { id = malware });
        var o = data["object"]!;
        Assert.Equal("Malware", o["__typename"]!.GetValue<string>());
        Assert.True(o["isFamily"]!.GetValue<bool>());
        Assert.Equal(malware, JsonNode.Parse(o["stix"]!.GetValue<string>())!["id"]!.GetValue<string>());
        var incoming = Assert.Single(o["incoming"]!["edges"]!.AsArray())!["node"]!;
        Assert.Equal(rel, incoming["id"]!.GetValue<string>());
        Assert.Equal("uses", incoming["kind"]!.GetValue<string>());
        Assert.Equal("IN", incoming["direction"]!.GetValue<string>());
        Assert.Equal(set, incoming["peer"]!["id"]!.GetValue<string>());
        Assert.Equal("IntrusionSet", incoming["peer"]!["__typename"]!.GetValue<string>());
        Assert.Equal("targets", Assert.Single(o["outgoing"]!["edges"]!.AsArray())!["node"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Relationships_page_with_cursors()
    {
        var hub = StixBuilder.Sdo("intrusion-set", name: "Hub");
        var hubId = hub["id"]!.GetValue<string>();
        var objects = new List<JsonObject> { hub };
        for (var i = 0; i < 7; i++)
        {
            objects.Add(StixBuilder.Relationship(hubId, "targets", StixBuilder.NewId("identity")));
        }
        await api.PostBundleAsync(ApiFactory.Bundle([.. objects]));

        var seen = new HashSet<string>();
        string? after = null;
        for (var page = 0; page < 3; page++)
        {
            var data = await api.DataAsync("""
                query($id: ID!, $after: String) { object(id: $id) { relationships(first: 3, after: $after) {
                  totalCount pageInfo { hasNextPage endCursor } edges { node { peerId } } } } }
                """, new { id = hubId, after });
            var conn = data["object"]!["relationships"]!;
            Assert.Equal(7, conn["totalCount"]!.GetValue<int>());
            foreach (var e in conn["edges"]!.AsArray())
            {
                Assert.True(seen.Add(e!["node"]!["peerId"]!.GetValue<string>()), "a page repeated an edge");
            }
            Assert.Equal(page < 2, conn["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
            after = conn["pageInfo"]!["endCursor"]!.GetValue<string>();
        }
        Assert.Equal(7, seen.Count);
    }

    [Fact]
    public async Task Placeholder_for_a_referenced_object_not_yet_received_fills_in_when_it_arrives()
    {
        var set = StixBuilder.Sdo("intrusion-set", name: "Waiting");
        var toolId = StixBuilder.NewId("tool");
        await api.PostBundleAsync(ApiFactory.Bundle(set, StixBuilder.Relationship(set["id"]!.GetValue<string>(), "uses", toolId)));

        const string query = "query($id: ID!) { object(id: $id) { __typename placeholder name } }";
        var before = (await api.DataAsync(query, new { id = toolId }))["object"]!;
        Assert.Equal("Placeholder", before["__typename"]!.GetValue<string>());
        Assert.True(before["placeholder"]!.GetValue<bool>());

        var tool = StixBuilder.Sdo("tool", toolId, name: "Mimikatz-like");
        await api.PostBundleAsync(ApiFactory.Bundle(tool));
        var after = (await api.DataAsync(query, new { id = toolId }))["object"]!;
        Assert.Equal("GenericStixObject", after["__typename"]!.GetValue<string>());
        Assert.Equal("Mimikatz-like", after["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Neighborhood_returns_nodes_by_distance_and_the_edges_among_them()
    {
        var (set, malware, victim, _) = await SmallGraphAsync();
        var data = await api.DataAsync("""
            query($id: ID!) { neighborhood(id: $id, depth: 2) { partial nodes { id distance object { type } } edges { kind sourceId targetId } } }
            """, new { id = set });
        var n = data["neighborhood"]!;
        Assert.False(n["partial"]!.GetValue<bool>());
        var distances = n["nodes"]!.AsArray().ToDictionary(x => x!["id"]!.GetValue<string>(), x => x!["distance"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { [set] = 0, [malware] = 1, [victim] = 2 }, distances);
        Assert.Contains(n["edges"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "targets" && e["sourceId"]!.GetValue<string>() == malware);
    }

    [Fact]
    public async Task Neighborhood_edges_selected_through_a_fragment_or_an_alias_are_still_fetched()
    {
        var (set, malware, _, _) = await SmallGraphAsync();
        // The resolver fetches edges only when the selection asks for them: a fragment or an alias must count.
        var data = await api.DataAsync("""
            query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id } ...E } }
            fragment E on Neighborhood { links: edges { kind sourceId } }
            """, new { id = set });
        Assert.Contains(data["neighborhood"]!["links"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "targets" && e["sourceId"]!.GetValue<string>() == malware);
        var nodesOnly = await api.DataAsync("query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id } } }", new { id = set });
        Assert.Equal(3, nodesOnly["neighborhood"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Search_finds_by_name_and_type_and_unknown_ids_are_null()
    {
        var (set, _, _, _) = await SmallGraphAsync();
        var name = (await api.DataAsync("query($id: ID!) { object(id: $id) { name } }", new { id = set }))["object"]!["name"]!.GetValue<string>();
        var data = await api.DataAsync("""
            query($text: String) { search(types: ["intrusion-set"], text: $text) { totalCount edges { node { id } } } }
            """, new { text = name.ToUpperInvariant() });
        Assert.Equal(1, data["search"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(set, data["search"]!["edges"]![0]!["node"]!["id"]!.GetValue<string>());

        var unknown = await api.DataAsync("query($id: ID!) { object(id: $id) { id } }", new { id = StixBuilder.NewId("campaign") });
        Assert.Null(unknown["object"]);
    }

    [Fact]
    public async Task Bad_arguments_give_specific_errors()
    {
        var result = await api.GraphQLAsync("{ object(id: \"nope\") { id } }");
        Assert.Contains("not a STIX id", result["errors"]![0]!["message"]!.GetValue<string>());
        result = await api.GraphQLAsync($"{{ neighborhood(id: \"{StixBuilder.NewId("campaign")}\", depth: 9) {{ partial }} }}");
        Assert.Contains("'depth' must be between 1 and 4", result["errors"]![0]!["message"]!.GetValue<string>());
        result = await api.GraphQLAsync("{ search(after: \"garbage\") { totalCount } }");
        Assert.Contains("invalid cursor", result["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Syntax_and_validation_errors_are_400_and_too_deep_queries_are_refused()
    {
        var syntax = await api.GraphQLAsync("{ object(id: ", expected: HttpStatusCode.BadRequest);
        Assert.NotNull(syntax["errors"]);
        Assert.Null(syntax["data"]);
        var unknown = await api.GraphQLAsync("{ nosuchfield }", expected: HttpStatusCode.BadRequest);
        Assert.Contains("nosuchfield", unknown["errors"]![0]!["message"]!.GetValue<string>());

        var deep = "{ object(id: \"campaign--6a1b6d0c-0f6e-4cd9-9c3a-3d0e0b5b1c11\") { " +
                   string.Concat(Enumerable.Repeat("createdBy { ", 14)) + "id" + new string('}', 14) + " } }";
        var tooDeep = await api.GraphQLAsync(deep, expected: HttpStatusCode.BadRequest);
        Assert.Contains("nested", tooDeep["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task IngestBundle_mutation_reports_per_object_outcomes()
    {
        var good = StixBuilder.Sdo("campaign", name: "Via mutation");
        var bad = StixBuilder.Sdo("campaign", name: "Bad");
        bad.Remove("created");
        var bundle = ApiFactory.Bundle(good, bad);
        const string mutation = """
            mutation($b: String!) { ingestBundle(bundle: $b) { totals { created unchanged rejected total }
              objects { index id outcome errors { path message } } } }
            """;
        var first = (await api.DataAsync(mutation, new { b = bundle }))["ingestBundle"]!;
        Assert.Equal(1, first["totals"]!["created"]!.GetValue<int>());
        Assert.Equal(1, first["totals"]!["rejected"]!.GetValue<int>());
        Assert.Equal("REJECTED", first["objects"]![1]!["outcome"]!.GetValue<string>());
        Assert.Equal("$.objects[1].created", first["objects"]![1]!["errors"]![0]!["path"]!.GetValue<string>());

        var second = (await api.DataAsync(mutation, new { b = bundle }))["ingestBundle"]!;
        Assert.Equal(1, second["totals"]!["unchanged"]!.GetValue<int>());

        var malformed = await api.GraphQLAsync(mutation, new { b = "{\"type\": " });
        Assert.Contains("line 1", malformed["errors"]![0]!["message"]!.GetValue<string>());
    }
}
