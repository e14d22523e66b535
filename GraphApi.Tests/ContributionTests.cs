using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11, rows 1, 2, 5 and 6: each organisation's report of a shared observable is its own, and every read is composed
/// of the reports and versions the reader may see. Every test plays a hostile second organisation against the first,
/// through REST, GraphQL and TAXII.
/// </summary>
public sealed class ContributionTests(ContributionTests.Host host) : IClassFixture<ContributionTests.Host>
{
    public sealed class Host : ApiFactory;

    const string Collection = "/taxii2/threatgraph/collections/9f5c1c43-5d3e-4b8e-9a4f-7b1d2c0e6a51";

    [Fact]
    public async Task A_red_report_of_a_shared_observable_is_read_only_by_its_recipients()
    {
        var value = RandomIp();
        var id = Sco("ipv4-addr", value);
        var usReport = new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = id, ["value"] = value };
        Assert.Equal("created", await OutcomeAsync(usReport, K.UsAnalyst));

        var jpReport = (JsonObject)usReport.DeepClone();
        jpReport["object_marking_refs"] = new JsonArray(Tlp.RedId);
        jpReport["x_threatgraph_recipients"] = new JsonArray("jp-nisc/analyst1");
        jpReport["x_jp_note"] = "jp-only note " + value;
        Assert.Equal("created", await OutcomeAsync(jpReport, K.JpAnalyst)); // jp-nisc's own report of the value

        foreach (var reader in new[] { K.UsAnalyst, K.IsacAnalyst, K.JpAnalyst2, "us-federation-dev-key" })
        {
            var seen = await EverythingReadableAsync(id, reader);
            Assert.DoesNotContain("x_jp_note", seen);
            Assert.DoesNotContain(Tlp.RedId, seen);
        }
        // The recipient reads its own report, and knows both organisations reported the value.
        var asJp = await host.DataAsync("query($id: ID!) { object(id: $id) { stix markings reportedBy } }", new { id }, K.JpAnalyst);
        Assert.Contains("x_jp_note", asJp["object"]!["stix"]!.GetValue<string>());
        Assert.Equal([Tlp.RedId], asJp["object"]!["markings"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["us-cisa", "jp-nisc"], asJp["object"]!["reportedBy"]!.AsArray().Select(x => x!.GetValue<string>()));
        var asUs = await host.DataAsync("query($id: ID!) { object(id: $id) { stix reportedBy versionCount } }", new { id }, K.UsAnalyst);
        Assert.Equal(["us-cisa"], asUs["object"]!["reportedBy"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(1, asUs["object"]!["versionCount"]!.GetValue<int>());

        // The reverse: an AMBER report by us-cisa of a value jp-nisc reported is not jp-nisc's to read.
        var value2 = RandomIp();
        var id2 = Sco("ipv4-addr", value2);
        var jpPlain = new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = id2, ["value"] = value2 };
        await OutcomeAsync(jpPlain, K.JpAnalyst);
        var usAmber = (JsonObject)jpPlain.DeepClone();
        usAmber["object_marking_refs"] = new JsonArray(Tlp.AmberId);
        usAmber["x_us_note"] = "us-only note";
        Assert.Equal("created", await OutcomeAsync(usAmber, K.UsAnalyst));
        Assert.DoesNotContain("x_us_note", await EverythingReadableAsync(id2, K.JpAnalyst));
        Assert.DoesNotContain("x_us_note", await EverythingReadableAsync(id2, K.IsacAnalyst));
        Assert.Contains("x_us_note", await EverythingReadableAsync(id2, K.UsAnalyst));
    }

    [Fact]
    public async Task Another_organisation_can_neither_strip_nor_revoke_a_report_it_does_not_own()
    {
        var ip = RandomIp();
        var ipId = Sco("ipv4-addr", ip);
        var domainName = $"c2-{Guid.NewGuid():N}.example.org";
        var domainId = Sco("domain-name", domainName);
        var jpDomain = new JsonObject
        {
            ["type"] = "domain-name", ["spec_version"] = "2.1", ["id"] = domainId, ["value"] = domainName,
            ["resolves_to_refs"] = new JsonArray(ipId), ["object_marking_refs"] = new JsonArray(Tlp.RedId),
        };
        var jpIp = new JsonObject { ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["id"] = ipId, ["value"] = ip };
        await host.PostBundleAsync(ApiFactory.Bundle(jpIp, jpDomain), apiKey: K.JpAnalyst);

        // us-cisa sends the plain domain, then the address marked revoked.
        var usDomain = new JsonObject { ["type"] = "domain-name", ["spec_version"] = "2.1", ["id"] = domainId, ["value"] = domainName };
        Assert.Equal("created", await OutcomeAsync(usDomain, K.UsAnalyst));
        var usRevoked = (JsonObject)jpIp.DeepClone();
        usRevoked["revoked"] = true;
        Assert.Equal("created", await OutcomeAsync(usRevoked, K.UsAnalyst));

        // jp-nisc's report keeps its refs, its body and its address.
        var jp = await host.DataAsync("""
            query($d: ID!, $ip: ID!, $text: String) {
              d: object(id: $d) { stix relationships(types: ["resolves_to_refs"]) { totalCount edges { node { peerId } } } }
              ip: object(id: $ip) { revoked }
              search(types: ["ipv4-addr"], text: $text) { totalCount }
            }
            """, new { d = domainId, ip = ipId, text = ip }, K.JpAnalyst);
        Assert.Contains("resolves_to_refs", jp["d"]!["stix"]!.GetValue<string>());
        Assert.Equal(1, jp["d"]!["relationships"]!["totalCount"]!.GetValue<int>());
        Assert.False(jp["ip"]!["revoked"]!.GetValue<bool>());
        Assert.Equal(1, jp["search"]!["totalCount"]!.GetValue<int>());

        // us-cisa sees its own reports: no ref from the RED report, its own revocation.
        var us = await host.DataAsync("""
            query($d: ID!, $ip: ID!) {
              d: object(id: $d) { stix relationships { totalCount } }
              ip: object(id: $ip, includeRevoked: true) { revoked }
              hidden: object(id: $ip) { id }
            }
            """, new { d = domainId, ip = ipId }, K.UsAnalyst);
        Assert.DoesNotContain("resolves_to_refs", us["d"]!["stix"]!.GetValue<string>());
        Assert.Equal(0, us["d"]!["relationships"]!["totalCount"]!.GetValue<int>());
        // jp-nisc's report of the address is GREEN (its default): us-cisa still sees the live report of it.
        Assert.False(us["ip"]!["revoked"]!.GetValue<bool>());
        Assert.NotNull(us["hidden"]);
    }

    [Fact]
    public async Task A_downgrade_to_red_hides_the_object_and_its_new_name_from_search()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var v1 = StixBuilder.Sdo("campaign", name: "public-" + tag);
        v1["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var id = v1["id"]!.GetValue<string>();
        await OutcomeAsync(v1, K.JpAnalyst);
        var v2 = StixBuilder.Sdo("campaign", id, "2024-02-01T00:00:00.000Z", name: "zsecret-" + tag);
        v2["object_marking_refs"] = new JsonArray(Tlp.RedId);
        Assert.Equal("updated", await OutcomeAsync(v2, K.JpAnalyst));

        foreach (var text in new[] { tag, "zsecret-" + tag[..4], "zsecret-" + tag, "public-" + tag })
        {
            var us = await host.DataAsync("query($t: String) { search(text: $t) { totalCount } campaigns: search(types: [\"campaign\"], text: $t) { totalCount } }",
                new { t = text }, K.UsAnalyst);
            Assert.Equal(0, us["search"]!["totalCount"]!.GetValue<int>());
            Assert.Equal(0, us["campaigns"]!["totalCount"]!.GetValue<int>());
        }
        var jp = await host.DataAsync("query($t: String) { search(text: $t) { totalCount } }", new { t = "zsecret-" + tag }, K.JpAnalyst);
        Assert.Equal(1, jp["search"]!["totalCount"]!.GetValue<int>());
        Assert.DoesNotContain(id, await EverythingReadableAsync(id, K.UsAnalyst));
    }

    [Fact]
    public async Task A_non_owner_resending_an_object_changes_nothing_of_it_anywhere()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var original = StixBuilder.Sdo("intrusion-set", name: "original-" + tag);
        original["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var id = original["id"]!.GetValue<string>();
        await OutcomeAsync(original, K.JpAnalyst);
        const string counts = "query($t: String) { search(text: $t) { totalCount } typeCounts { type count } }";
        var before = await host.DataAsync(counts, new { t = "original-" + tag }, K.JpAnalyst);

        var revoked = (JsonObject)original.DeepClone();
        revoked["revoked"] = true;
        var renamed = (JsonObject)original.DeepClone();
        renamed["name"] = "hijacked-" + tag;
        Assert.Equal("unchanged", await OutcomeAsync(revoked, K.UsAnalyst));
        Assert.Equal("unchanged", await OutcomeAsync(renamed, K.UsAnalyst));

        var after = await host.DataAsync(counts, new { t = "original-" + tag }, K.JpAnalyst);
        Assert.Equal(1, after["search"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(before["typeCounts"]!.ToJsonString(), after["typeCounts"]!.ToJsonString());
        var hijacked = await host.DataAsync("query($t: String) { search(text: $t) { totalCount } }", new { t = "hijacked-" + tag }, K.UsAnalyst);
        Assert.Equal(0, hijacked["search"]!["totalCount"]!.GetValue<int>());
        var current = await host.DataAsync("query($id: ID!) { object(id: $id) { name revoked } }", new { id }, K.UsAnalyst);
        Assert.Equal("original-" + tag, current["object"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_older_stricter_version_is_not_served_after_a_downgrade()
    {
        var v1 = StixBuilder.Sdo("malware", name: "red-first");
        v1["is_family"] = false;
        v1["object_marking_refs"] = new JsonArray(Tlp.RedId);
        v1["x_secret"] = "only-in-v1";
        var id = v1["id"]!.GetValue<string>();
        await OutcomeAsync(v1, K.JpAnalyst);
        var v2 = StixBuilder.Sdo("malware", id, "2024-03-01T00:00:00.000Z", name: "green-later");
        v2["is_family"] = false;
        v2["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        await OutcomeAsync(v2, K.JpAnalyst);

        foreach (var reader in new[] { K.UsAnalyst, K.IsacAnalyst, K.JpAnalyst2, "us-federation-dev-key" })
        {
            var all = await TaxiiAsync($"{Collection}/objects/?match[id]={id}&match[version]=all", reader);
            Assert.DoesNotContain("only-in-v1", all);
            Assert.Contains("green-later", all);
            Assert.DoesNotContain("only-in-v1", await TaxiiAsync($"{Collection}/objects/?match[id]={id}&match[version]=first", reader));
            var versions = JsonNode.Parse(await TaxiiAsync($"{Collection}/objects/{id}/versions/", reader))!["versions"]!.AsArray();
            Assert.Equal(["2024-03-01T00:00:00.000Z"], versions.Select(v => v!.GetValue<string>()));
            var manifest = JsonNode.Parse(await TaxiiAsync($"{Collection}/manifest/?match[id]={id}&match[version]=all", reader))!["objects"]!.AsArray();
            Assert.Single(manifest);
            var count = await host.DataAsync("query($id: ID!) { object(id: $id) { versionCount } }", new { id }, reader == "us-federation-dev-key" ? K.UsAnalyst : reader);
            Assert.Equal(1, count["object"]!["versionCount"]!.GetValue<int>());
        }
        var owner = await TaxiiAsync($"{Collection}/objects/?match[id]={id}&match[version]=all", K.JpAnalyst);
        Assert.Contains("only-in-v1", owner);
    }

    /// <summary>Every read path an organisation has for one id, concatenated: REST, GraphQL (stix, markings, search), TAXII (all versions, manifest).</summary>
    async Task<string> EverythingReadableAsync(string id, string key)
    {
        var parts = new List<string> { await TaxiiAsync($"{Collection}/objects/?match[id]={id}&match[version]=all", key) };
        if (key.Contains("federation", StringComparison.Ordinal))
        {
            return parts[0];
        }
        using var client = host.ClientFor(key);
        using var rest = await client.GetAsync($"/api/objects/{id}");
        parts.Add(await rest.Content.ReadAsStringAsync());
        var graph = await host.GraphQLAsync("""
            query($id: ID!, $text: String) { object(id: $id, includeRevoked: true) { stix markings name versionCount provenance { organisation tlp } }
                              search(text: $text, includeRevoked: true) { edges { node { stix markings } } } }
            """, new { id, text = id }, apiKey: key);
        parts.Add(graph.ToJsonString());
        parts.Add(await TaxiiAsync($"{Collection}/manifest/?match[id]={id}&match[version]=all", key));
        return string.Join("\n", parts);
    }

    async Task<string> TaxiiAsync(string path, string key)
    {
        using var client = host.ClientFor(key);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {response.StatusCode} {body}");
        return body;
    }

    async Task<string> OutcomeAsync(JsonObject obj, string key)
    {
        var (status, report) = await host.PostBundleAsync(ApiFactory.Bundle(obj), apiKey: key);
        Assert.Equal(HttpStatusCode.OK, status);
        return report["objects"]![0]!["outcome"]!.GetValue<string>();
    }

    static string Sco(string type, string value) =>
        ScoId.Compute(new JsonObject { ["type"] = type, ["value"] = value })!;

    static string RandomIp() => $"45.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
}
