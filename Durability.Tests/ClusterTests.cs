using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// Three silo processes on Azure Table clustering and Azure storage (as deploy/local-cluster.sh runs them): the ICS
/// bundle ingested in chunks through all three; grains spread over all three; one silo killed with SIGKILL while a
/// chunk is in flight through another: reads through a third keep working (once membership notices) with every
/// acknowledged object there and every acknowledged correlation link kept (no two acknowledged objects that were in one
/// cluster before the kill are apart after it, nothing linked that a fresh service would not link); the killed silo
/// rejoins and answers the same; the rest re-sent, the graph and its clusters are exactly what a fresh service gives
/// for the bundle sent once; the whole cluster stopped and started from scratch, still exactly that.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClusterTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Three_silos_survive_a_silo_killed_mid_ingest_and_a_full_restart()
    {
        var serviceId = "cluster" + Guid.NewGuid().ToString("N")[..8];
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        var ports = Enumerable.Range(0, 3).Select(_ => SiloProcess.Ports.Free()).ToArray();
        var bundle = SharedData.Bytes("mitre-attack/ics-attack-18.1.json");
        var ids = GraphFingerprint.IdsOf(bundle);
        var reference = ReferenceGraph.OfAsync("ics-attack-18.1", bundle, ids); // a fresh service, meanwhile
        var objects = JsonNode.Parse(bundle)!["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
        var chunks = objects.Chunk(100).Select(c => (Ids: c.Select(o => o["id"]!.GetValue<string>()).ToList(),
            Bytes: DurableApiFactory.Utf8(new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}",
                ["objects"] = new JsonArray([.. c.Select(o => o.DeepClone())]) }.ToJsonString()))).ToList();

        var silos = await Task.WhenAll(ports.Select(p => SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, p)));
        try
        {
            // The first half, through all three silos in turn: acknowledged.
            var half = chunks.Count / 2;
            var acknowledged = new List<string>();
            for (var i = 0; i < half; i++)
            {
                await PostAsync(silos[i % 3].Http, chunks[i].Bytes);
                acknowledged.AddRange(chunks[i].Ids);
            }
            await AssertSpreadAsync(serviceId, clusterId);
            var beforeKill = await ClusterFingerprint.ReadAsync(silos[0].Http, acknowledged);
            output.WriteLine($"correlation of the acknowledged objects before the kill: {beforeKill}");
            Assert.True(beforeKill.Groups.Count(g => g.Count > 1) >= 2, "the acknowledged objects should form clusters: " + beforeKill);

            // SIGKILL silo 3 while the rest of the bundle is in flight through silo 1 (its grains are on every silo):
            // once a relationship of its second call is readable (as in SigkillDurabilityTests).
            var rest = objects.Skip(half * 100).ToList();
            var inFlight = TryPostAsync(silos[0].Http, DurableApiFactory.Utf8(new JsonObject { ["type"] = "bundle",
                ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. rest.Select(o => o.DeepClone())]) }.ToJsonString()));
            var killedInFlight = await SigkillDurabilityTests.KillMidIngestAsync(silos[0], silos[2], inFlight, SigkillDurabilityTests.MidWay(rest));
            // Answered after all (whole or in part): what it accepted must be there too.
            var answered = await inFlight;
            acknowledged.AddRange(answered ?? []);
            output.WriteLine($"{(killedInFlight ? "killed" : "answered before the kill")}; in-flight rest: {(answered is null ? "failed" : $"{answered.Count} of {rest.Count} accepted")}; " +
                             $"{acknowledged.Count} of {ids.Count} objects acknowledged");

            // Keep reading through silo 2 until every acknowledged object is served again; then their correlation.
            var back = await Poll.UntilAsync(async () => (await GraphFingerprint.ReadAsync(silos[1].Http, acknowledged)).EdgesById.Values.All(n => n >= 0),
                TimeSpan.FromSeconds(120), "every acknowledged object readable through silo 2 after silo 3 was killed", TimeSpan.FromSeconds(1));
            output.WriteLine($"serving every acknowledged object again {back.TotalSeconds:F1} s after the kill (first full read that matched)");
            var expected = await reference;
            await AssertCorrelationKeptAsync(silos[1].Http, "through silo 2, silo 3 dead");

            // It comes back on the same ports and rejoins: the same answers through it.
            await silos[2].DisposeAsync();
            silos[2] = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, ports[2]);
            var missing = (await GraphFingerprint.ReadAsync(silos[2].Http, acknowledged)).EdgesById.Where(p => p.Value < 0).Select(p => p.Key).ToList();
            Assert.True(missing.Count == 0, "acknowledged but lost: " + string.Join(", ", missing.Take(20)));
            await AssertCorrelationKeptAsync(silos[2].Http, "through silo 3, restarted");

            // Everything sent again, through all three: exactly what a fresh service holds for the bundle sent once.
            for (var i = 0; i < chunks.Count; i++)
            {
                await PostAsync(silos[i % 3].Http, chunks[i].Bytes);
            }
            output.WriteLine($"correlation of a fresh service: {expected.Clusters}");
            var complete = await GraphFingerprint.ReadAsync(silos[2].Http, ids);
            Assert.True(expected.Diff(complete).Length == 0, "fresh service vs killed mid-ingest, restarted, re-sent:\n" + expected.Diff(complete));
            Assert.True(complete.EdgesById.Values.All(n => n >= 0), "every object readable");

            // The whole cluster, stopped and started from scratch.
            await Task.WhenAll(silos.Select(s => s.StopAsync()));
            foreach (var s in silos) await s.DisposeAsync();
            silos = await Task.WhenAll(ports.Select(p => SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, p)));
            var restarted = expected.Diff(await GraphFingerprint.ReadAsync(silos[1].Http, ids));
            Assert.True(restarted.Length == 0, "fresh service vs the whole cluster restarted:\n" + restarted);

            async Task AssertCorrelationKeptAsync(HttpClient http, string where)
            {
                var now = await ClusterFingerprint.ReadAsync(http, acknowledged);
                output.WriteLine($"correlation of the acknowledged objects {where}: {now}");
                var lost = beforeKill.LostLinks(now);
                Assert.True(lost.Count == 0, $"acknowledged correlation lost ({where}):\n" + string.Join("\n", lost.Take(20)));
                var invented = now.LinksNotIn(expected.Clusters);
                Assert.True(invented.Count == 0, $"linked ({where}), not by a fresh service:\n" + string.Join("\n", invented.Take(20)));
            }
        }
        finally
        {
            foreach (var s in silos) await s.DisposeAsync();
        }
    }

    static async Task PostAsync(HttpClient http, byte[] bundle)
    {
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync("/api/bundles", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ingest: HTTP {(int)response.StatusCode}: {body}");
        Assert.Equal(0, JsonNode.Parse(body)!["totals"]!["rejected"]!.GetValue<int>());
    }

    /// <summary>The ids of the objects an ingest accepted, or null when it failed.</summary>
    static async Task<List<string>?> TryPostAsync(HttpClient http, byte[] bundle)
    {
        try
        {
            using var content = new ByteArrayContent(bundle);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync("/api/bundles", content);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return [.. report["objects"]!.AsArray()
                .Where(o => !string.Equals(o!["outcome"]!.GetValue<string>(), "rejected", StringComparison.OrdinalIgnoreCase))
                .Select(o => o!["id"]!.GetValue<string>())];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>An Orleans client on the same membership table asks the management grain where node grains live.</summary>
    async Task AssertSpreadAsync(string serviceId, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(c =>
        {
            c.Configure<ClusterOptions>(o => { o.ServiceId = serviceId; o.ClusterId = clusterId; });
            c.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(azurite.ConnectionString));
        });
        using var host = builder.Build();
        await host.StartAsync();
        var stats = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var perSilo = stats.Where(s => s.GrainType.Contains("Nodes.", StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress).ToDictionary(g => g.Key.ToString(), g => g.Sum(s => s.ActivationCount));
        output.WriteLine("node activations per silo: " + string.Join(", ", perSilo.Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(3, perSilo.Count);
        await host.StopAsync();
    }
}
