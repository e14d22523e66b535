using System.Net;
using System.Text.Json;
using ThreatGraph.Silo.Cli;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>The README tour, as a test: the two reports meet at the shared observable.</summary>
[Collection(ApiCollection.Name)]
public sealed class SampleScenarioTests(ApiFactory api)
{
    [Fact]
    public async Task Shared_ip_is_one_node_that_links_the_jp_and_us_campaigns_within_two_hops()
    {
        var bundles = SampleScenario.Build();
        var created = new List<int>();
        foreach (var (file, key) in new[] { ("jp-nisc-report.json", ApiFactory.Keys.JpAnalyst), ("us-cisa-report.json", ApiFactory.Keys.UsAnalyst) })
        {
            var (status, report) = await api.PostBundleAsync(bundles[file].ToJsonString(new JsonSerializerOptions()), key);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(0, report["totals"]!["rejected"]!.GetValue<int>());
            Assert.Empty(report["objects"]!.AsArray().SelectMany(o => o!["warnings"]!.AsArray()));
            Assert.Equal(0, report["totals"]!["unchanged"]!.GetValue<int>());
            created.Add(report["totals"]!["created"]!.GetValue<int>());
        }
        // The shared IP and domain exist after the JP report: the US report of them lands on the same nodes, as us-cisa's
        // own report (created), beside jp-nisc's.
        Assert.Equal([28, 28], created);
        var shared = await api.DataAsync("""{ object(id: "ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3") { reportedBy } }""", apiKey: ApiFactory.Keys.UsAnalyst);
        Assert.Equal(["jp-nisc", "us-cisa"], shared["object"]!["reportedBy"]!.AsArray().Select(x => x!.GetValue<string>()));

        var data = await api.DataAsync("""
            { neighborhood(id: "ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3", depth: 2, edgeTypes: ["pattern-names", "indicates"]) {
                partial nodes { distance object { __typename name } } } }
            """);
        var campaigns = data["neighborhood"]!["nodes"]!.AsArray()
            .Where(n => n!["object"]!["__typename"]!.GetValue<string>() == "Campaign")
            .Select(n => (n!["object"]!["name"]!.GetValue<string>(), n["distance"]!.GetValue<int>()))
            .Order().ToList();
        Assert.Equal([("Operation Cherry Frost", 2), ("Operation Harbor Lantern", 2)], campaigns);
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes()
    {
        var a = SampleScenario.Build().ToDictionary(x => x.Key, x => x.Value.ToJsonString());
        var b = SampleScenario.Build().ToDictionary(x => x.Key, x => x.Value.ToJsonString());
        Assert.Equal(a, b);
    }
}
