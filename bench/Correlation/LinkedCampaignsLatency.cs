using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatGraph.Bench.Correlation;

/// <summary>linkedCampaigns latency on a synthetic graph of about N nodes, built through the gateway first.</summary>
public static class LinkedCampaignsLatency
{
    /// <summary>Campaigns with indicators naming domains from a shared pool, so that clusters of a few campaigns form.</summary>
    public static async Task RunAsync(HttpClient http, int targetNodes)
    {
        // Per campaign: 8 indicators, 8 indicates relationships, ~8 domains (placeholders) => ~25 nodes.
        var campaigns = Math.Max(2, targetNodes / 25);
        var pool = campaigns * 8;
        var random = new Random(7);
        var ids = new List<string>();
        var clock = Stopwatch.StartNew();
        var batch = new List<JsonObject>();
        var sent = 0;
        for (var c = 0; c < campaigns; c++)
        {
            var campaign = $"campaign--{Guid.NewGuid()}";
            ids.Add(campaign);
            batch.Add(BenchObjects.Sdo("campaign", campaign, $"synthetic campaign {c}"));
            for (var k = 0; k < 8; k++)
            {
                // Mostly private infrastructure; one indicator in eight names a domain shared across the pool.
                var domain = k == 0 ? $"shared-{random.Next(pool / 20)}.bench.test" : $"own-{c}-{k}.bench.test";
                var indicator = BenchObjects.Sdo("indicator", $"indicator--{Guid.NewGuid()}", null);
                indicator["pattern"] = $"[domain-name:value = '{domain}']";
                indicator["pattern_type"] = "stix";
                indicator["valid_from"] = "2024-01-01T00:00:00.000Z";
                batch.Add(indicator);
                batch.Add(BenchObjects.Relationship(indicator["id"]!.GetValue<string>(), "indicates", campaign));
            }
            if (batch.Count >= 2_000 || c == campaigns - 1)
            {
                await BenchObjects.PostAsync(http, batch);
                sent += batch.Count;
                batch.Clear();
            }
        }
        Console.WriteLine($"synthetic graph: {campaigns} campaigns, {sent} objects sent (~{sent + campaigns * 7 + pool / 20} nodes with the observables) " +
            $"in {clock.Elapsed.TotalSeconds:F1} s");

        var latencies = new List<double>();
        var linkCounts = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var campaign = ids[random.Next(ids.Count)];
            var query = $$"""{ linkedCampaigns(campaignId: "{{campaign}}", maxDepth: 6, first: 20) { partial links { campaignId strength hops } } }""";
            var q = Stopwatch.StartNew();
            using var response = await http.PostAsync("/graphql", new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            latencies.Add(q.Elapsed.TotalMilliseconds);
            linkCounts.Add(body["data"]?["linkedCampaigns"]?["links"]?.AsArray().Count ?? -1);
        }
        latencies.Sort();
        Console.WriteLine($"linkedCampaigns (maxDepth 6) over 100 random campaigns: p50 {Percentiles.Percentile(latencies, 0.5):F1} ms, " +
            $"p99 {Percentiles.Percentile(latencies, 0.99):F1} ms; links per answer: median {linkCounts.Order().ElementAt(linkCounts.Count / 2)}, max {linkCounts.Max()}");
    }
}
