using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Silo.Cli;

/// <summary>
/// <c>bench-correlation [--url URL] [--notifications N] [--nodes N]</c>: measures, against a running ThreatGraph,
/// ingest → subscriber notification latency (p50/p99 over N ingests, each adding an indicator to a watched campaign),
/// and <c>linkedCampaigns</c> latency on a synthetic graph of about N nodes; then, in process, the cost of one merge
/// and one split as the cluster grows (the pure cluster logic the cluster grain runs). Not a test: numbers for the README.
/// </summary>
public static class CorrelationBenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = "http://127.0.0.1:5080";
        var notifications = 200;
        var nodes = 100_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1].TrimEnd('/'); break;
                case "--notifications": notifications = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--nodes": nodes = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }

        MergeCost();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        if (notifications > 0)
        {
            await NotificationLatencyAsync(http, url, notifications);
        }
        if (nodes > 0)
        {
            await LinkedCampaignsLatencyAsync(http, nodes);
        }
        return 0;
    }

    static void MergeCost()
    {
        Console.WriteLine("merge and split cost by cluster size (pure cluster logic of one cluster grain, median of 5):");
        Console.WriteLine("  size    absorb a cluster of `size` (µs)    cut it off again by removing the bridge (µs)");
        foreach (var size in new[] { 1_000, 10_000, 100_000, 200_000 })
        {
            var merges = new List<double>();
            var splits = new List<double>();
            for (var run = 0; run < 5; run++)
            {
                var a = new ClusterGraph();
                var b = new Dictionary<string, ClusterLink>();
                for (var i = 1; i < size; i++)
                {
                    a.Add($"a{i}", new ClusterLink($"a{i - 1}", $"a{i}", "uses", null));
                    b[$"b{i}"] = new ClusterLink($"b{i - 1}", $"b{i}", "uses", null);
                }
                var clock = Stopwatch.StartNew();
                foreach (var (key, link) in b)
                {
                    a.Add(key, link);
                }
                a.Add("bridge", new ClusterLink("a0", "b0", "uses", null));
                merges.Add(clock.Elapsed.TotalMicroseconds);
                clock.Restart();
                a.Remove(["bridge"]);
                splits.Add(clock.Elapsed.TotalMicroseconds);
            }
            Console.WriteLine($"  {size,7}  {Median(merges),12:F0}                        {Median(splits),12:F0}");
        }
        // A node joining a big cluster (the common case: a new indicator) is one link added.
        var g = new ClusterGraph();
        for (var i = 1; i < 200_000; i++)
        {
            g.Add($"a{i}", new ClusterLink($"a{i - 1}", $"a{i}", "uses", null));
        }
        var c = Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            g.Add($"n{i}", new ClusterLink($"a{i}", $"new{i}", "uses", null));
        }
        Console.WriteLine($"  a new node joining a 200,000-member cluster: {c.Elapsed.TotalMicroseconds / 10_000:F2} µs each");
    }

    static async Task NotificationLatencyAsync(HttpClient http, string url, int count)
    {
        var campaign = $"campaign--{Guid.NewGuid()}";
        await PostAsync(http, [Sdo("campaign", campaign, "bench campaign")]);
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("graphql-transport-ws");
        await ws.ConnectAsync(new Uri(url.Replace("http", "ws", StringComparison.Ordinal) + "/graphql"), CancellationToken.None);
        await SendAsync(ws, """{"type":"connection_init"}""");
        await ReceiveAsync(ws);
        await SendAsync(ws, JsonSerializer.Serialize(new
        {
            id = "1", type = "subscribe",
            payload = new { query = $$"""subscription { campaignUpdated(campaignId: "{{campaign}}") { kinds newMemberIds } }""" },
        }));
        await ReceiveAsync(ws); // SUBSCRIBED: the stream subscription is live

        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var indicator = Sdo("indicator", $"indicator--{Guid.NewGuid()}", null);
            indicator["pattern"] = $"[domain-name:value = 'bench-{i}-{Guid.NewGuid():N}.test']";
            indicator["pattern_type"] = "stix";
            indicator["valid_from"] = "2024-01-01T00:00:00.000Z";
            var rel = Relationship(indicator["id"]!.GetValue<string>(), "indicates", campaign);
            var clock = Stopwatch.StartNew();
            await PostAsync(http, [indicator, rel]);
            await ReceiveAsync(ws);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine($"ingest → subscriber notification over {count} ingests (POST start → `next` received): " +
            $"p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");
    }

    /// <summary>Campaigns with indicators naming domains from a shared pool, so that clusters of a few campaigns form.</summary>
    static async Task LinkedCampaignsLatencyAsync(HttpClient http, int targetNodes)
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
            batch.Add(Sdo("campaign", campaign, $"synthetic campaign {c}"));
            for (var k = 0; k < 8; k++)
            {
                // Mostly private infrastructure; one indicator in eight names a domain shared across the pool.
                var domain = k == 0 ? $"shared-{random.Next(pool / 20)}.bench.test" : $"own-{c}-{k}.bench.test";
                var indicator = Sdo("indicator", $"indicator--{Guid.NewGuid()}", null);
                indicator["pattern"] = $"[domain-name:value = '{domain}']";
                indicator["pattern_type"] = "stix";
                indicator["valid_from"] = "2024-01-01T00:00:00.000Z";
                batch.Add(indicator);
                batch.Add(Relationship(indicator["id"]!.GetValue<string>(), "indicates", campaign));
            }
            if (batch.Count >= 2_000 || c == campaigns - 1)
            {
                await PostAsync(http, batch);
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
        Console.WriteLine($"linkedCampaigns (maxDepth 6) over 100 random campaigns: p50 {Percentile(latencies, 0.5):F1} ms, " +
            $"p99 {Percentile(latencies, 0.99):F1} ms; links per answer: median {linkCounts.Order().ElementAt(linkCounts.Count / 2)}, max {linkCounts.Max()}");
    }

    static JsonObject Sdo(string type, string id, string? name)
    {
        var o = new JsonObject
        {
            ["type"] = type, ["spec_version"] = "2.1", ["id"] = id,
            ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z",
        };
        if (name is not null)
        {
            o["name"] = name;
        }
        return o;
    }

    static JsonObject Relationship(string source, string kind, string target) => new()
    {
        ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = $"relationship--{Guid.NewGuid()}",
        ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z",
        ["relationship_type"] = kind, ["source_ref"] = source, ["target_ref"] = target,
    };

    static async Task PostAsync(HttpClient http, IEnumerable<JsonObject> objects)
    {
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
        using var response = await http.PostAsync("/api/bundles", new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    static async Task<string> ReceiveAsync(ClientWebSocket ws)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer, deadline.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
