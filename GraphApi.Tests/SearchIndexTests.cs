using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The partitioned search index through GraphQL, on a host of its own: pages across partitions in (type, id) order
/// with exact totals for readers who see different things, stable under concurrent inserts; exact-match keys (ATT&amp;CK
/// ids, aliases) for every organisation, and never from a report the reader may not see.
/// </summary>
public sealed class SearchIndexTests(SearchIndexTests.Host host) : IClassFixture<SearchIndexTests.Host>
{
    public sealed class Host : ApiFactory;

    static readonly string[] Readers = [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst];

    const string PageQuery = """
        query($types: [String!], $first: Int, $after: String) {
          search(types: $types, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }
        """;

    [Fact]
    public async Task Pages_across_partitions_list_every_visible_object_once_in_type_then_id_order_with_exact_totals()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] types = [$"x-page-{tag}-b", $"x-page-{tag}-a"];
        var green = Objects(types, 40, Tlp.GreenId);
        var jpAmber = Objects(types, 15, Tlp.AmberId);
        var usAmber = Objects(types, 10, Tlp.AmberId);
        await PostAsync(K.JpAnalyst, [.. green, .. jpAmber]);
        await PostAsync(K.UsAnalyst, usAmber);
        var all = green.Concat(jpAmber).Concat(usAmber).Select(Id).ToList();
        Assert.True(all.Select(id => IndexPartitioning.PartitionOf(id, IndexOptions.DefaultPartitions)).Distinct().Count() >= 8,
            "the objects should spread over most partitions");

        var expectations = new (string Key, List<string> Visible)[]
        {
            (K.JpAnalyst, [.. green.Concat(jpAmber).Select(Id)]),
            (K.UsAnalyst, [.. green.Concat(usAmber).Select(Id)]),
            (K.IsacAnalyst, [.. green.Select(Id)]),
        };
        foreach (var (key, visible) in expectations)
        {
            var expected = visible.Order(IndexOrder.Instance).ToList();
            Assert.Equal(expected, await AllPagesAsync(key, types, pageSize: 12, expected.Count));
        }
    }

    [Fact]
    public async Task A_page_after_a_cursor_is_exact_when_objects_are_added_before_and_after_it_meanwhile()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] types = [$"x-move-{tag}"];
        var objects = Objects(types, 30, Tlp.GreenId);
        await PostAsync(K.JpAnalyst, objects);
        var expected = objects.Select(Id).Order(IndexOrder.Instance).ToList();

        var first = (await PageAsync(K.UsAnalyst, types, 10, null))["search"]!;
        Assert.Equal(expected.Take(10), Ids(first));
        var cursor = first["pageInfo"]!["endCursor"]!.GetValue<string>();

        // One object sorts before the cursor, one after everything: the next page neither repeats nor skips.
        var early = StixBuilder.Sdo(types[0], $"{types[0]}--00000000-0000-4000-8000-000000000000", name: "early");
        var late = StixBuilder.Sdo(types[0], $"{types[0]}--ffffffff-ffff-4fff-bfff-ffffffffffff", name: "late");
        await PostAsync(K.JpAnalyst, [early, late]);
        var second = (await PageAsync(K.UsAnalyst, types, 10, cursor))["search"]!;
        Assert.Equal(expected.Skip(10).Take(10), Ids(second));
        Assert.Equal(32, second["totalCount"]!.GetValue<int>());
        Assert.True(second["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        var rest = (await PageAsync(K.UsAnalyst, types, 50, second["pageInfo"]!["endCursor"]!.GetValue<string>()))["search"]!;
        Assert.Equal([.. expected.Skip(20), Id(late)], Ids(rest));
        Assert.False(rest["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_attack_id_finds_the_technique_for_every_organisation_and_keys_match_exactly()
    {
        var bytes = SharedData.Bytes("mitre-attack/ics-attack-18.1.json");
        var (status, report) = await host.PostBundleAsync(bytes);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, report["totals"]!["rejected"]!.GetValue<int>());
        var objects = JsonNode.Parse(bytes)!["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();

        const string Query = "query($t: String) { search(text: $t, first: 50) { totalCount edges { node { id name } } } }";
        foreach (var reader in Readers)
        {
            foreach (var text in new[] { "T0885", "t0885", " T0885 " })
            {
                var search = (await host.DataAsync(Query, new { t = text }, reader))["search"]!;
                Assert.Equal(1, search["totalCount"]!.GetValue<int>());
                var node = search["edges"]![0]!["node"]!;
                Assert.Equal("attack-pattern--e6c31185-8040-4267-83d3-b217b8a92f07", node["id"]!.GetValue<string>());
                Assert.Equal("Commonly Used Port", node["name"]!.GetValue<string>());
            }
            // Keys match whole: a prefix of an ATT&CK id is no key (and no name or id contains it).
            Assert.Equal(0, (await host.DataAsync(Query, new { t = "T088" }, reader))["search"]!["totalCount"]!.GetValue<int>());
        }

        // Every ATT&CK id and alias of the groups, campaigns and software, against the documented rule computed here.
        var texts = objects.Where(o => o["type"]!.GetValue<string>() is "intrusion-set" or "campaign" or "malware")
            .SelectMany(KeysOf).Distinct(StringComparer.OrdinalIgnoreCase).Take(40).ToList();
        Assert.True(texts.Count >= 20);
        foreach (var text in texts)
        {
            var expected = objects.Where(o => o["revoked"]?.GetValue<bool>() != true && Matches(o, text)).Select(Id)
                .Order(IndexOrder.Instance).ToList();
            var search = (await host.DataAsync(Query, new { t = text }, K.UsAnalyst))["search"]!;
            Assert.True(expected.Count == search["totalCount"]!.GetValue<int>(), $"'{text}': expected {expected.Count}, got {search["totalCount"]}");
            Assert.Equal(expected.Take(50), search["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_hidden_reports_aliases_and_external_ids_are_searchable_only_by_its_readers()
    {
        var token = "zkey" + Guid.NewGuid().ToString("N")[..12];

        // One IP, two reports: jp-nisc's GREEN, us-cisa's AMBER with an alias.
        var value = $"45.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var ip = ScoId.Compute(new JsonObject { ["type"] = "ipv4-addr", ["value"] = value })!;
        await PostAsync(K.JpAnalyst, [new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = ip, ["value"] = value }]);
        await PostAsync(K.UsAnalyst, [new JsonObject
        {
            ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = ip, ["value"] = value,
            ["x_mitre_aliases"] = new JsonArray(token + "-ip"), ["object_marking_refs"] = new JsonArray(Tlp.AmberId),
        }]);
        // A group only us-cisa may see, and one it shares with jp-nisc (AMBER reaches the named organisation only).
        await PostAsync(K.UsAnalyst, [Group(token + "-hidden", []), Group(token + "-shared", ["jp-nisc"])]);

        var cases = new (string Text, string[] SeenBy)[]
        {
            (token + "-ip", [K.UsAnalyst]),
            (token + "-hidden-alias", [K.UsAnalyst]),
            (token + "-hidden-ext", [K.UsAnalyst]),
            (token + "-shared-alias", [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst]),
            (token + "-shared-ext", [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst]),
        };
        var failures = new List<string>();
        foreach (var (text, seenBy) in cases)
        {
            foreach (var reader in Readers)
            {
                var data = await host.DataAsync("""
                    query($t: String, $p: String) { search(text: $t, includeRevoked: true) { totalCount } prefix: search(text: $p) { totalCount } }
                    """, new { t = text, p = text[..^2] }, reader);
                var (count, prefix) = (data["search"]!["totalCount"]!.GetValue<int>(), data["prefix"]!["totalCount"]!.GetValue<int>());
                if (count != (seenBy.Contains(reader) ? 1 : 0) || prefix != 0)
                {
                    failures.Add($"'{text}' for {reader}: {count} found, {prefix} by a prefix");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // jp-nisc still finds the IP through its own report.
        Assert.Equal(1, (await host.DataAsync("query($t: String) { search(text: $t) { totalCount } }", new { t = ip }))["search"]!["totalCount"]!.GetValue<int>());

        static JsonObject Group(string key, string[] recipients)
        {
            var g = StixBuilder.Sdo("intrusion-set", name: "group " + Guid.NewGuid().ToString("N"));
            g["aliases"] = new JsonArray(key + "-alias");
            g["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = key + "-ext" });
            g["object_marking_refs"] = new JsonArray(Tlp.AmberId);
            if (recipients.Length > 0)
            {
                g["x_threatgraph_recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
            }
            return g;
        }
    }

    async Task<List<string>> AllPagesAsync(string key, string[] types, int pageSize, int expectedTotal)
    {
        var seen = new List<string>();
        string? after = null;
        for (var page = 0; ; page++)
        {
            var search = (await PageAsync(key, types, pageSize, after))["search"]!;
            var info = search["pageInfo"]!;
            var ids = Ids(search);
            Assert.Equal(expectedTotal, search["totalCount"]!.GetValue<int>());
            Assert.Equal(page > 0, info["hasPreviousPage"]!.GetValue<bool>());
            Assert.Equal(seen.Count + ids.Count < expectedTotal, info["hasNextPage"]!.GetValue<bool>());
            Assert.Equal(Math.Min(pageSize, expectedTotal - seen.Count), ids.Count);
            Assert.Equal(search["edges"]!.AsArray().Last()?["cursor"]?.GetValue<string>(), info["endCursor"]?.GetValue<string>());
            seen.AddRange(ids);
            if (!info["hasNextPage"]!.GetValue<bool>())
            {
                Assert.True(page >= 3, $"expected more than 3 pages, got {page + 1}");
                return seen;
            }
            after = info["endCursor"]!.GetValue<string>();
        }
    }

    Task<JsonObject> PageAsync(string key, string[] types, int first, string? after) =>
        host.DataAsync(PageQuery, new { types, first, after }, key);

    static List<string> Ids(JsonNode search) =>
        [.. search["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>())];

    static List<JsonObject> Objects(string[] types, int count, string tlp) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var o = StixBuilder.Sdo(types[i % types.Length], name: $"paged {i}");
            o["object_marking_refs"] = new JsonArray(tlp);
            return o;
        })];

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    /// <summary>README "How it works": exact key (external id, alias), or the id or name contains the text.</summary>
    static bool Matches(JsonObject o, string text) =>
        Id(o).Contains(text, StringComparison.OrdinalIgnoreCase)
        || (o["name"]?.GetValue<string>().Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || KeysOf(o).Any(k => string.Equals(k, text.Trim(), StringComparison.OrdinalIgnoreCase));

    static IEnumerable<string> KeysOf(JsonObject o) =>
        (o["external_references"]?.AsArray() ?? []).Select(r => r?["external_id"]?.GetValue<string>())
            .Concat((o["aliases"]?.AsArray() ?? []).Select(a => a?.GetValue<string>()))
            .Concat((o["x_mitre_aliases"]?.AsArray() ?? []).Select(a => a?.GetValue<string>()))
            .OfType<string>();

    async Task PostAsync(string key, IReadOnlyList<JsonObject> objects)
    {
        var (status, report) = await host.PostBundleAsync(ApiFactory.Bundle([.. objects]), apiKey: key);
        Assert.True(status == HttpStatusCode.OK && report["totals"]!["rejected"]!.GetValue<int>() == 0, report.ToJsonString());
    }
}
