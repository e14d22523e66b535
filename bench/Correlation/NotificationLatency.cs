using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace ThreatGraph.Bench.Correlation;

/// <summary>Ingest → subscriber notification latency through the gateway: each ingest adds an indicator to a watched campaign.</summary>
public static class NotificationLatency
{
    public static async Task RunAsync(HttpClient http, string url, string key, int count)
    {
        var campaign = $"campaign--{Guid.NewGuid()}";
        await BenchObjects.PostAsync(http, [BenchObjects.Sdo("campaign", campaign, "bench campaign")]);
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("graphql-transport-ws");
        await ws.ConnectAsync(new Uri(url.Replace("http", "ws", StringComparison.Ordinal) + "/graphql"), CancellationToken.None);
        await GraphQLSocket.SendAsync(ws, JsonSerializer.Serialize(new { type = "connection_init", payload = new { apiKey = key } }));
        await GraphQLSocket.ReceiveAsync(ws);
        await GraphQLSocket.SendAsync(ws, JsonSerializer.Serialize(new
        {
            id = "1", type = "subscribe",
            payload = new { query = $$"""subscription { campaignUpdated(campaignId: "{{campaign}}") { kinds newMemberIds } }""" },
        }));
        await GraphQLSocket.ReceiveAsync(ws); // SUBSCRIBED: the stream subscription is live

        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var indicator = BenchObjects.Sdo("indicator", $"indicator--{Guid.NewGuid()}", null);
            indicator["pattern"] = $"[domain-name:value = 'bench-{i}-{Guid.NewGuid():N}.test']";
            indicator["pattern_type"] = "stix";
            indicator["valid_from"] = "2024-01-01T00:00:00.000Z";
            var rel = BenchObjects.Relationship(indicator["id"]!.GetValue<string>(), "indicates", campaign);
            var clock = Stopwatch.StartNew();
            await BenchObjects.PostAsync(http, [indicator, rel]);
            await GraphQLSocket.ReceiveAsync(ws);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine($"ingest → subscriber notification over {count} ingests (POST start → `next` received): " +
            $"p50 {Percentiles.Percentile(latencies, 0.50):F1} ms, p99 {Percentiles.Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");
    }
}
