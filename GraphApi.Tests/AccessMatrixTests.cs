using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Every TLP level × creator × reader × read path, against a table written out by hand (not computed by the policy
/// under test). The same table is in the README ("Who sees what"); a test keeps the two equal.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.Host host) : IClassFixture<AccessMatrixTests.Host>
{
    public sealed class Host : ApiFactory;

    public sealed record AccessCase(string Name, string Tlp, string CreatorKey, string[] Recipients, string[] VisibleTo);

    static readonly string[] Readers = [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst];

    static readonly Dictionary<string, string> ReaderNames = new()
    {
        [K.JpAnalyst] = "jp-nisc/analyst1", [K.JpAnalyst2] = "jp-nisc/analyst2", [K.UsAnalyst] = "us-cisa/analyst1", [K.IsacAnalyst] = "it-isac/analyst1",
    };

    public static readonly AccessCase[] Cases =
    [
        new("CLEAR by jp-nisc", Tlp.ClearId, K.JpAnalyst, [], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst]),
        new("GREEN by jp-nisc", Tlp.GreenId, K.JpAnalyst, [], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst]),
        new("AMBER by jp-nisc", Tlp.AmberId, K.JpAnalyst, [], [K.JpAnalyst, K.JpAnalyst2]),
        new("AMBER by jp-nisc, shared with us-cisa", Tlp.AmberId, K.JpAnalyst, ["us-cisa"], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst]),
        new("AMBER+STRICT by jp-nisc, shared with us-cisa", Tlp.AmberStrictId, K.JpAnalyst, ["us-cisa"], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst]),
        new("RED by jp-nisc/analyst1, for us-cisa/analyst1", Tlp.RedId, K.JpAnalyst, ["us-cisa/analyst1"], [K.JpAnalyst, K.UsAnalyst]),
        new("CLEAR by us-cisa", Tlp.ClearId, K.UsAnalyst, [], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst]),
        new("GREEN by us-cisa", Tlp.GreenId, K.UsAnalyst, [], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst]),
        new("AMBER by us-cisa", Tlp.AmberId, K.UsAnalyst, [], [K.UsAnalyst]),
        new("AMBER+STRICT by us-cisa", Tlp.AmberStrictId, K.UsAnalyst, [], [K.UsAnalyst]),
        new("RED by us-cisa/analyst1", Tlp.RedId, K.UsAnalyst, [], [K.UsAnalyst]),
    ];

    /// <summary>The README's table, made from <see cref="Cases"/>.</summary>
    public static string MarkdownTable()
    {
        var sb = new StringBuilder();
        sb.Append("| object | ").Append(string.Join(" | ", Readers.Select(r => ReaderNames[r]))).Append(" |\n");
        sb.Append("|---|").Append(string.Concat(Readers.Select(_ => "---|"))).Append('\n');
        foreach (var c in Cases)
        {
            sb.Append("| ").Append(c.Name).Append(" | ").Append(string.Join(" | ", Readers.Select(r => c.VisibleTo.Contains(r) ? "yes" : "no"))).Append(" |\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void Readme_shows_this_table()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        Assert.True(readme.Contains(MarkdownTable(), StringComparison.Ordinal), "README's 'Who sees what' table differs from the test's:\n" + MarkdownTable());
    }

    [Fact]
    public async Task Every_read_path_shows_exactly_what_the_table_says_and_invisible_ids_never_appear_in_a_response()
    {
        var planted = new List<(AccessCase AccessCase, string Anchor, string Secret, string SecretName)>();
        foreach (var c in Cases)
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            var anchor = StixBuilder.Sdo("intrusion-set", name: "anchor " + tag);
            anchor["object_marking_refs"] = new JsonArray(Tlp.ClearId);
            var secret = StixBuilder.Sdo("campaign", name: "secret " + tag);
            secret["object_marking_refs"] = new JsonArray(c.Tlp);
            if (c.Recipients.Length > 0)
            {
                secret["x_threatgraph_recipients"] = new JsonArray([.. c.Recipients.Select(r => (JsonNode)r)]);
            }
            var link = StixBuilder.Relationship(secret["id"]!.GetValue<string>(), "attributed-to", anchor["id"]!.GetValue<string>());
            link["object_marking_refs"] = new JsonArray(Tlp.ClearId);
            var (status, report) = await host.PostBundleAsync(ApiFactory.Bundle(anchor, secret, link), apiKey: c.CreatorKey);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(3, report["totals"]!["created"]!.GetValue<int>());
            planted.Add((c, anchor["id"]!.GetValue<string>(), secret["id"]!.GetValue<string>(), "secret " + tag));
        }

        var failures = new List<string>();
        foreach (var (c, anchor, secret, secretName) in planted)
        {
            foreach (var reader in Readers)
            {
                var expected = c.VisibleTo.Contains(reader);
                var who = $"{c.Name} / {ReaderNames[reader]}";
                var body = await host.GraphQLAsync("""
                    query($secret: ID!, $anchor: ID!, $text: String) {
                      object(id: $secret) { id name }
                      anchor: object(id: $anchor) { relationships { totalCount edges { node { peerId peer { id } relationship { id } } } } }
                      search(text: $text) { totalCount edges { node { id } } }
                      campaigns: search(types: ["campaign"], text: $text) { totalCount }
                      neighborhood(id: $anchor, depth: 2) { nodes { id } edges { sourceId targetId } }
                    }
                    """, new { secret, anchor, text = secretName }, apiKey: reader);
                var data = body["data"]!;
                Check(failures, who, "object", expected, data["object"] is not null);
                Check(failures, who, "edge count", expected, data["anchor"]!["relationships"]!["totalCount"]!.GetValue<int>() == 1);
                Check(failures, who, "search count", expected, data["search"]!["totalCount"]!.GetValue<int>() == 1);
                Check(failures, who, "typed search count", expected, data["campaigns"]!["totalCount"]!.GetValue<int>() == 1);
                Check(failures, who, "neighborhood", expected, data["neighborhood"]!["nodes"]!.AsArray().Any(n => n!["id"]!.GetValue<string>() == secret));

                using var client = host.ClientFor(reader);
                using var rest = await client.GetAsync($"/api/objects/{secret}");
                var restBody = await rest.Content.ReadAsStringAsync();
                Check(failures, who, "REST read", expected, rest.StatusCode == HttpStatusCode.OK);

                if (!expected)
                {
                    Check(failures, who, "id absent from GraphQL response", false, body.ToJsonString().Contains(secret, StringComparison.Ordinal));
                    Check(failures, who, "id absent from REST response", false, restBody.Contains(secret, StringComparison.Ordinal));
                    Check(failures, who, "not-found message equals unknown id's", true,
                        restBody.Replace(secret, "X", StringComparison.Ordinal) == await NotFoundBodyAsync(client, "campaign"));
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task An_invisible_bridge_does_not_link_two_visible_campaigns()
    {
        // jp GREEN campaign -- jp RED (private) intrusion set -- us GREEN campaign: us-cisa sees both campaigns but not the bridge.
        var jpCampaign = StixBuilder.Sdo("campaign", name: "jp side");
        jpCampaign["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var bridge = StixBuilder.Sdo("intrusion-set", name: "private bridge");
        bridge["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var usCampaign = StixBuilder.Sdo("campaign", name: "us side");
        usCampaign["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        string Id(JsonObject o) => o["id"]!.GetValue<string>();
        var a = StixBuilder.Relationship(Id(jpCampaign), "attributed-to", Id(bridge));
        var b = StixBuilder.Relationship(Id(usCampaign), "attributed-to", Id(bridge));
        a["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        b["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        await host.PostBundleAsync(ApiFactory.Bundle(jpCampaign, bridge, a), apiKey: K.JpAnalyst);
        await host.PostBundleAsync(ApiFactory.Bundle(usCampaign, b), apiKey: K.UsAnalyst);

        const string query = "query($id: ID!) { neighborhood(id: $id, depth: 4) { nodes { id } } }";
        var asUs = (await host.DataAsync(query, new { id = Id(jpCampaign) }, K.UsAnalyst))["neighborhood"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([Id(jpCampaign)], asUs);
        var asJp = (await host.DataAsync(query, new { id = Id(jpCampaign) }, K.JpAnalyst))["neighborhood"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { Id(jpCampaign), Id(bridge), Id(usCampaign) }, asJp);
    }

    [Fact]
    public async Task Credentials_are_required_wrong_ones_are_refused_and_ingest_needs_the_ingest_role()
    {
        using var anonymous = host.ClientFor(null);
        using var response = await anonymous.PostAsync("/graphql", new StringContent("{\"query\":\"{ typeCounts { type } }\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var wrong = host.ClientFor("not-a-key");
        using var refused = await wrong.GetAsync($"/api/objects/{StixBuilder.NewId("campaign")}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("unknown or revoked API key", await refused.Content.ReadAsStringAsync());

        var (status, body) = await host.PostBundleAsync(ApiFactory.Bundle(StixBuilder.Sdo("campaign", name: "by an auditor")), apiKey: K.JpAuditor);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ingest_answers_do_not_reveal_whose_invisible_object_an_id_is()
    {
        var secret = StixBuilder.Sdo("campaign", name: "red secret");
        secret["object_marking_refs"] = new JsonArray(Tlp.RedId);
        await host.PostBundleAsync(ApiFactory.Bundle(secret), apiKey: K.JpAnalyst);

        var copy = StixBuilder.Sdo("campaign", secret["id"]!.GetValue<string>(), "2025-01-01T00:00:00.000Z", name: "overwrite attempt");
        var (_, answer) = await host.PostBundleAsync(ApiFactory.Bundle(copy), apiKey: K.UsAnalyst);
        var result = answer["objects"]![0]!;
        Assert.Equal("rejected", result["outcome"]!.GetValue<string>());
        var message = result["errors"]![0]!["message"]!.GetValue<string>();
        Assert.Equal("this id belongs to an object you may not update", message);
        Assert.DoesNotContain("jp-nisc", answer.ToJsonString());
        Assert.DoesNotContain("red secret", answer.ToJsonString());
    }

    static void Check(List<string> failures, string who, string path, bool expected, bool actual)
    {
        if (expected != actual)
        {
            failures.Add($"{who}: {path}: expected {(expected ? "visible" : "hidden")}, got {(actual ? "visible" : "hidden")}");
        }
    }

    static async Task<string> NotFoundBodyAsync(HttpClient client, string type)
    {
        var unknown = StixBuilder.NewId(type);
        using var response = await client.GetAsync($"/api/objects/{unknown}");
        return (await response.Content.ReadAsStringAsync()).Replace(unknown, "X", StringComparison.Ordinal);
    }
}
