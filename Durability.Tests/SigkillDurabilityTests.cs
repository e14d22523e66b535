using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// A silo process on Azure storage, killed with SIGKILL in the middle of an ingest sent in chunks: after a restart
/// every object (and every edge of a relationship) that had been acknowledged is there; re-sending the rest completes it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SigkillDurabilityTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Silo_killed_mid_ingest_keeps_everything_it_acknowledged()
    {
        var serviceId = "sigkill" + Guid.NewGuid().ToString("N")[..8];
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        var ports = SiloProcess.Ports.Free();
        var objects = JsonNode.Parse(SharedData.Bytes("mitre-attack/ics-attack-18.1.json"))!["objects"]!.AsArray()
            .Select(o => o!.AsObject()).ToList();
        var chunks = objects.Chunk(100).Select(c => DurableApiFactory.Utf8(Bundle(c))).ToList();

        var acknowledged = new List<JsonObject>();
        await using (var silo = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, ports))
        {
            var half = chunks.Count / 2;
            for (var i = 0; i < half; i++)
            {
                acknowledged.AddRange(await PostAsync(silo.Http, chunks[i], objects.Skip(i * 100).Take(100)));
            }
            // The next chunk is in flight when the process dies.
            using var content = new ByteArrayContent(chunks[half]);
            content.Headers.ContentType = new("application/json");
            var inFlight = silo.Http.PostAsync("/api/bundles", content);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await silo.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(async () => (await inFlight).EnsureSuccessStatusCode());
        }
        output.WriteLine($"acknowledged before the kill: {acknowledged.Count} of {objects.Count} objects");

        await using var restarted = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, ports);
        var missing = new List<string>();
        foreach (var o in acknowledged)
        {
            var id = o["id"]!.GetValue<string>();
            using var r = await restarted.Http.GetAsync($"/api/objects/{id}");
            if (!r.IsSuccessStatusCode)
            {
                missing.Add($"{id}: HTTP {(int)r.StatusCode}");
            }
        }
        Assert.True(missing.Count == 0, "acknowledged but lost:\n" + string.Join("\n", missing.Take(20)));

        // Every acknowledged relationship is an edge on both of its endpoints.
        var relationships = acknowledged.Where(o => o["type"]!.GetValue<string>() == "relationship").ToList();
        foreach (var rel in relationships.Take(100))
        {
            foreach (var (end, direction) in new[] { ("source_ref", "OUT"), ("target_ref", "IN") })
            {
                var data = await GraphFingerprint.QueryAsync(restarted.Http,
                    $$"""{ object(id: "{{rel[end]}}", includeRevoked: true) { relationships(direction: {{direction}}, types: ["{{rel["relationship_type"]}}"], includeRevoked: true, first: 500) { edges { node { id } } } } }""");
                var ids = data["object"]?["relationships"]?["edges"]?.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToHashSet() ?? [];
                Assert.True(ids.Contains(rel["id"]!.GetValue<string>()), $"edge {rel["id"]} missing on {rel[end]}");
            }
        }

        // The rest can simply be sent again: afterwards the graph is complete.
        foreach (var chunk in chunks)
        {
            await PostAsync(restarted.Http, chunk, []);
        }
        var counts = await GraphFingerprint.QueryAsync(restarted.Http, "{ typeCounts(includeRevoked: true) { count } }");
        Assert.Equal(objects.Select(o => o["id"]!.GetValue<string>()).Distinct().Count(),
            counts["typeCounts"]!.AsArray().Sum(t => t!["count"]!.GetValue<int>()));
    }

    static async Task<IEnumerable<JsonObject>> PostAsync(HttpClient http, byte[] bundle, IEnumerable<JsonObject> sent)
    {
        using var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync("/api/bundles", content);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {body}");
        Assert.Equal(0, body!["totals"]!["rejected"]!.GetValue<int>());
        return sent;
    }

    static string Bundle(IEnumerable<JsonObject> objects) =>
        new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) }.ToJsonString();
}
