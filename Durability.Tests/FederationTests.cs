using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// Two deployments on loopback, each a separate process with its own storage: <c>us</c> pulls from <c>jp</c> over
/// TAXII (README "Share with a peer"). What the markings allow crosses and correlates there; what they forbid never
/// appears; a sync job killed in the middle of a page resumes without duplicates or gaps.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FederationTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    const string JpKey = "jp-analyst-dev-key";
    const string UsKey = "us-analyst-dev-key";

    [Fact]
    public async Task Green_crosses_and_correlates_while_strict_markings_never_leave()
    {
        var jpPorts = SiloProcess.Ports.Free();
        await using var jp = await SiloProcess.StartAsync(null, "fedjp", "jp", jpPorts, "--Federation:Deployment=jp");
        await using var us = await SiloProcess.StartAsync(null, "fedus", "us", SiloProcess.Ports.Free(), PullFrom(jpPorts.Http, pageSize: 100));

        var domain = $"c2-{Guid.NewGuid():N}.example.net";
        var green = Indicator(domain, Tlp.GreenId);
        var amberForUs = Indicator(domain, Tlp.AmberId, recipients: ["us-cisa"]);
        var amberNotForUs = Indicator(domain, Tlp.AmberId);
        var amberStrict = Indicator(domain, Tlp.AmberStrictId, recipients: ["us-cisa"]);
        var red = Indicator(domain, Tlp.RedId, recipients: ["us-cisa/analyst1"]);
        await PostAsync(jp, JpKey, green, amberForUs, amberNotForUs, amberStrict, red);

        // A US incident on the same infrastructure, reported to the US deployment only.
        var incident = StixBuilder.Sdo("incident", name: "Harbour outage");
        var observable = new JsonObject { ["type"] = "domain-name", ["spec_version"] = "2.1", ["value"] = domain };
        observable["id"] = Stix.Identifiers.ScoId.Compute(observable);
        var seen = StixBuilder.Relationship(incident["id"]!.GetValue<string>(), "related-to", observable["id"]!.GetValue<string>());
        await PostAsync(us, UsKey, incident, observable, seen);

        // A later GREEN object: once it has crossed, everything before it has been offered.
        var sentinel = Indicator($"sentinel-{Guid.NewGuid():N}.example.net", Tlp.GreenId);
        await PostAsync(jp, JpKey, sentinel);
        var crossed = await Poll.UntilAsync(async () => await ObjectAsync(us, UsKey, Id(sentinel)) is not null,
            TimeSpan.FromSeconds(60), "the sentinel indicator reaching us", TimeSpan.FromMilliseconds(100));
        output.WriteLine($"the sentinel crossed in {crossed.TotalMilliseconds:F0} ms (poll every 0.5 s)");

        var arrived = await ObjectAsync(us, UsKey, Id(green));
        Assert.NotNull(arrived);
        Assert.Equal("jp", arrived["provenance"]!["deployment"]!.GetValue<string>());
        Assert.Equal("jp-nisc", arrived["provenance"]!["organisation"]!.GetValue<string>());
        Assert.Equal("green", arrived["provenance"]!["tlp"]!.GetValue<string>());
        Assert.NotNull(await ObjectAsync(us, UsKey, Id(amberForUs)));

        // Never there, for anyone: not for the US analyst, and not for a JP key used on the US deployment either.
        foreach (var kept in new[] { amberNotForUs, amberStrict, red })
        {
            Assert.Null(await ObjectAsync(us, UsKey, Id(kept)));
            Assert.Null(await ObjectAsync(us, JpKey, Id(kept)));
        }
        using (var taxii = await TaxiiAsync(us, UsKey, $"objects/?match[id]={Id(amberStrict)},{Id(red)},{Id(amberNotForUs)}&match[version]=all"))
        {
            Assert.Equal(HttpStatusCode.OK, taxii.StatusCode);
            Assert.Null((await taxii.Content.ReadFromJsonAsync<JsonObject>())!["objects"]);
        }

        // The JP indicator and the US incident meet in one cluster on the US side.
        var cluster = await GraphAsync(us, UsKey, $$"""{ cluster(id: "{{Id(incident)}}") { size members(first: 50) { edges { node { id } } } } }""");
        var members = cluster["cluster"]!["members"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(Id(green), members);
        Assert.Contains(Id(incident), members);

        // A newer version at the origin replaces the older one here (STIX versioning); a US attempt to version a JP
        // object is refused, since only the reporting organisation versions its objects.
        var v2 = green.DeepClone().AsObject();
        v2["modified"] = "2024-06-01T00:00:00.000Z";
        v2["name"] = "C2 (confirmed)";
        await PostAsync(jp, JpKey, v2);
        await Poll.UntilAsync(async () => (await GraphAsync(us, UsKey, $$"""{ object(id: "{{Id(green)}}") { name } }"""))["object"]!["name"]!.GetValue<string>() == "C2 (confirmed)",
            TimeSpan.FromSeconds(60), "the second version reaching us", TimeSpan.FromMilliseconds(100));
        var usVersion = green.DeepClone().AsObject();
        usVersion["modified"] = "2024-09-01T00:00:00.000Z";
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray(usVersion) };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/bundles") { Content = JsonContent.Create(bundle) })
        {
            request.Headers.Add("X-Api-Key", UsKey);
            using var response = await us.Http.SendAsync(request);
            Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonObject>())!["totals"]!["rejected"]!.GetValue<int>());
        }

        var peers = await GraphAsync(us, UsKey, "{ federationPeers { name lastSync lag errors refused caughtUp } }");
        var peer = peers["federationPeers"]!.AsArray().Single()!;
        Assert.Equal("jp", peer["name"]!.GetValue<string>());
        Assert.NotNull(peer["lastSync"]!.GetValue<string>());
        Assert.Equal(0, peer["errors"]!.GetValue<int>());
        Assert.Equal(0, peer["refused"]!.GetValue<int>()); // the sender never offered the others
        // The status of a peer is for the organisation that receives through it (and auditors).
        Assert.Empty((await GraphAsync(us, JpKey, "{ federationPeers { name } }"))["federationPeers"]!.AsArray());
    }

    [Fact]
    public async Task Sync_killed_mid_page_resumes_without_duplicates_or_gaps()
    {
        var objects = JsonNode.Parse(SharedData.Bytes("mitre-attack/ics-attack-18.1.json"))!["objects"]!.AsArray()
            .Select(o => o!.AsObject()).ToList();
        // jp starts without the key it issues to us (rotated in later, without a restart) and receives the whole ICS matrix.
        var keys = Path.Combine(Path.GetTempPath(), $"fed-keys-{Guid.NewGuid():N}.json");
        var devKeys = JsonNode.Parse(File.ReadAllText(RepoRoot.PathOf("Silo", "dev-keys.json")))!.AsObject();
        var withoutUs = devKeys.DeepClone().AsObject();
        var list = withoutUs["keys"]!.AsArray();
        list.Remove(list.Single(k => k!["id"]!.GetValue<string>() == "us-federation"));
        File.WriteAllText(keys, withoutUs.ToJsonString());
        var jpPorts = SiloProcess.Ports.Free();
        await using var jp = await SiloProcess.StartAsync(null, "fedjp", "jp", jpPorts,
            "--Federation:Deployment=jp", "--Taxii:MaxPageSize=5000", $"--Security:KeysFile={keys}");
        await PostAsync(jp, JpKey, [.. objects]);

        var serviceId = "fedus" + Guid.NewGuid().ToString("N")[..8];
        var usPorts = SiloProcess.Ports.Free();
        var pull = PullFrom(jpPorts.Http, pageSize: 5000);
        // Objects ingest applies first (markings, identities, then SDOs; the 1,373 relationships come last): one of them
        // visible means the page has just started, long before it ends.
        var sample = objects.Where(o => o["type"]!.GetValue<string>() is "marking-definition" or "identity" or "attack-pattern")
            .Select(Id).Take(8).ToList();
        string logAtKill;
        await using var us = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, "us", usPorts, pull);
        await Poll.UntilAsync(async () => (await PeerAsync(us))["errors"]!.GetValue<int>() > 0, TimeSpan.FromSeconds(60), "a refused poll recorded");
        Assert.Equal(0, await CountAsync(us));
        // The key is issued: us's next poll gets everything in one page, so any moment between the first object
        // landing on us and the last is mid-page.
        File.WriteAllText(keys, devKeys.ToJsonString());
        await Poll.UntilAsync(async () => await AnyVisibleAsync(us, sample), TimeSpan.FromSeconds(180),
            "the first pulled objects landing on us", TimeSpan.FromMilliseconds(10));
        await us.KillAsync();
        logAtKill = us.Log;
        // Killed mid-page: the "page applied" line is logged just before the checkpoint moves, so it had not moved.
        Assert.DoesNotContain("jp page applied", logAtKill);
        var offered = await ManifestAsync(jp, UsKey);
        Assert.Equal(objects.Count, offered.Count);

        await using var restarted = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, "us", usPorts, pull);
        // The TAXII log is appended after each rank's index update, and the page is recorded after the whole ingest:
        // wait for both rather than for the object count.
        List<string> received = [];
        await Poll.UntilAsync(async () => (received = await ManifestAsync(restarted, UsKey)).Count >= offered.Count, TimeSpan.FromSeconds(180),
            "every version of jp in us's collection after the restart", TimeSpan.FromMilliseconds(500));
        var duplicates = received.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicated versions: " + string.Join(", ", duplicates.Take(10)));
        Assert.Equal(offered.Order().ToList(), received.Order().ToList());
        Assert.Equal(objects.Count, await CountAsync(restarted));

        JsonNode peer = new JsonObject();
        await Poll.UntilAsync(async () => (peer = await PeerAsync(restarted))["caughtUp"]!.GetValue<bool>(), TimeSpan.FromSeconds(60), "the page recorded");
        output.WriteLine($"after the restart: {peer.ToJsonString()}");
        Assert.True(peer["caughtUp"]!.GetValue<bool>());
        Assert.Equal(0, peer["refused"]!.GetValue<int>());
        Assert.NotNull(peer["checkpoint"]!.GetValue<string>());
        Assert.Contains("HTTP 401", peer["lastError"]!.GetValue<string>()); // the refused polls before the key was issued, kept
        File.Delete(keys);
    }

    static async Task<JsonNode> PeerAsync(SiloProcess silo) =>
        (await GraphAsync(silo, UsKey, "{ federationPeers { checkpoint applied unchanged refused caughtUp errors lastError } }"))["federationPeers"]![0]!;

    /// <summary>The US deployment's settings: pull from the JP deployment with the key JP issued to us-cisa.</summary>
    static string[] PullFrom(int jpHttpPort, int pageSize) =>
    [
        "--Federation:Deployment=us",
        "--Federation:Peers:0:Name=jp",
        $"--Federation:Peers:0:Url=http://127.0.0.1:{jpHttpPort}/taxii2/threatgraph/",
        "--Federation:Peers:0:ApiKey=us-federation-dev-key",
        "--Federation:Peers:0:ReceivingOrg=us-cisa",
        "--Federation:Peers:0:PollSeconds=0.5",
        $"--Federation:Peers:0:PageSize={pageSize}",
        "--Taxii:MaxPageSize=5000",
    ];

    static JsonObject Indicator(string domain, string tlp, string[]? recipients = null)
    {
        var o = StixBuilder.Sdo("indicator", name: $"C2 {domain}");
        o["pattern"] = $"[domain-name:value = '{domain}']";
        o["pattern_type"] = "stix";
        o["valid_from"] = "2024-01-01T00:00:00Z";
        o["object_marking_refs"] = new JsonArray(tlp);
        if (recipients is not null)
        {
            o["x_threatgraph_recipients"] = new JsonArray([.. recipients.Select(r => JsonValue.Create(r))]);
        }
        return o;
    }

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    static async Task PostAsync(SiloProcess silo, string key, params JsonObject[] objects)
    {
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bundles") { Content = JsonContent.Create(bundle) };
        request.Headers.Add("X-Api-Key", key);
        using var response = await silo.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {body}");
        Assert.Equal(0, body!["totals"]!["rejected"]!.GetValue<int>());
    }

    static async Task<JsonObject> GraphAsync(SiloProcess silo, string key, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        request.Headers.Add("X-Api-Key", key);
        using var response = await silo.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode && body!["errors"] is null, $"GraphQL: HTTP {(int)response.StatusCode}: {body}");
        return body!["data"]!.AsObject();
    }

    static async Task<JsonNode?> ObjectAsync(SiloProcess silo, string key, string id) =>
        (await GraphAsync(silo, key, $$"""{ object(id: "{{id}}") { id provenance { deployment organisation tlp reportedAt receivedAt } } }"""))["object"];

    static async Task<bool> AnyVisibleAsync(SiloProcess silo, IReadOnlyList<string> ids)
    {
        var query = "{" + string.Concat(ids.Select((id, i) => $" o{i}: object(id: \"{id}\") {{ id }}")) + " }";
        return (await GraphAsync(silo, UsKey, query)).Any(o => o.Value is not null);
    }

    static async Task<int> CountAsync(SiloProcess silo) =>
        (await GraphAsync(silo, UsKey, "{ typeCounts(includeRevoked: true) { count } }"))["typeCounts"]!.AsArray().Sum(t => t!["count"]!.GetValue<int>());

    static async Task<HttpResponseMessage> TaxiiAsync(SiloProcess silo, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/taxii2/threatgraph/collections/{ThreatGraph.Contracts.Taxii.TaxiiCollections.DefaultId}/{path}");
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("Accept", "application/taxii+json;version=2.1");
        return await silo.Http.SendAsync(request);
    }

    /// <summary>Every (id, version) in the collection as the key sees it, following <c>next</c>.</summary>
    static async Task<List<string>> ManifestAsync(SiloProcess silo, string key)
    {
        var all = new List<string>();
        string? next = null;
        do
        {
            using var response = await TaxiiAsync(silo, key, "manifest/?match[version]=all&limit=5000" + (next is null ? "" : "&next=" + next));
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.IsSuccessStatusCode, page.ToJsonString());
            all.AddRange((page["objects"]?.AsArray() ?? []).Select(o => $"{o!["id"]} {o["version"]}"));
            next = page["more"]!.GetValue<bool>() ? page["next"]!.GetValue<string>() : null;
        }
        while (next is not null);
        return all;
    }
}
