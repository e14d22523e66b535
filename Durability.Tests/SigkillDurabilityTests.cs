using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// A silo process on Azure storage, killed with SIGKILL in the middle of an ingest sent in chunks: after a restart
/// every object (and every edge of a relationship) that had been acknowledged is there, and so is its correlation:
/// every two acknowledged objects in one cluster before the kill are in one cluster after it (the in-flight chunk may
/// have partly landed and merged more, never anything a fresh service would not link); re-sending everything gives
/// exactly the graph and clusters a fresh service gives for the bundle sent once.
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
        var bundle = SharedData.Bytes("mitre-attack/ics-attack-18.1.json");
        var allIds = GraphFingerprint.IdsOf(bundle);
        var reference = ReferenceGraph.OfAsync("ics-attack-18.1", bundle, allIds); // a fresh service, meanwhile

        var acknowledged = new List<JsonObject>();
        ClusterFingerprint beforeKill;
        await using (var silo = await SiloProcess.StartAsync(azurite.ConnectionString, serviceId, clusterId, ports))
        {
            var half = chunks.Count / 2;
            for (var i = 0; i < half; i++)
            {
                acknowledged.AddRange(await PostAsync(silo.Http, chunks[i], objects.Skip(i * 100).Take(100)));
            }
            // Correlation of what was acknowledged, as the service answered it then.
            beforeKill = await ClusterFingerprint.ReadAsync(silo.Http, IdsOf(acknowledged));
            // The rest of the bundle (900-odd relationships, many of them linking campaigns, intrusion sets and malware
            // already acknowledged) is in flight when the process dies: the gateway sends it in two calls of at most 500
            // objects, each correlated at its end; killed once a relationship of the second call is readable, so the
            // first call's correlation may have landed, the second's not.
            var rest = objects.Skip(half * 100).ToList();
            var inFlight = InFlightAsync(silo.Http, DurableApiFactory.Utf8(Bundle(rest)));
            var killedInFlight = await KillMidIngestAsync(silo, silo, inFlight, MidWay(rest));
            if (await inFlight)
            {
                acknowledged.AddRange(rest); // answered before the kill after all (a much faster machine): acknowledged too
            }
            output.WriteLine(killedInFlight ? "killed with the rest in flight" : "the rest was answered before the kill: nothing was in flight");
        }
        output.WriteLine($"acknowledged before the kill: {acknowledged.Count} of {objects.Count} objects");
        output.WriteLine($"correlation of the acknowledged objects before the kill: {beforeKill}");
        // Not vacuous: the acknowledged half links campaigns, intrusion sets and malware into clusters.
        Assert.True(beforeKill.Groups.Count(g => g.Count > 1) >= 2,
            "the acknowledged objects should form clusters: " + beforeKill);

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

        // Every acknowledged link is still there (each cluster of acknowledged objects still within one cluster, each
        // campaign still linked to the acknowledged campaigns it was linked to), and nothing a fresh service would not link.
        var afterRestart = await ClusterFingerprint.ReadAsync(restarted.Http, IdsOf(acknowledged));
        output.WriteLine($"correlation of the acknowledged objects after the restart: {afterRestart}");
        var lost = beforeKill.LostLinks(afterRestart);
        Assert.True(lost.Count == 0, "acknowledged correlation lost:\n" + string.Join("\n", lost.Take(20)));
        var expected = await reference;
        var invented = afterRestart.LinksNotIn(expected.Clusters);
        Assert.True(invented.Count == 0, "linked after the restart, not by a fresh service:\n" + string.Join("\n", invented.Take(20)));

        // The rest can simply be sent again: afterwards the graph is complete, and correlated as a fresh service
        // correlates the bundle sent once.
        foreach (var chunk in chunks)
        {
            await PostAsync(restarted.Http, chunk, []);
        }
        var counts = await GraphFingerprint.QueryAsync(restarted.Http, "{ typeCounts(includeRevoked: true) { count } }");
        Assert.Equal(objects.Select(o => o["id"]!.GetValue<string>()).Distinct().Count(),
            counts["typeCounts"]!.AsArray().Sum(t => t!["count"]!.GetValue<int>()));
        output.WriteLine($"correlation of a fresh service: {expected.Clusters}");
        var complete = await GraphFingerprint.ReadAsync(restarted.Http, allIds);
        Assert.True(expected.Diff(complete).Length == 0, "fresh service vs killed, restarted and re-sent:\n" + expected.Diff(complete));
    }

    /// <summary>An ingest in flight; true when it was answered with success.</summary>
    static async Task<bool> InFlightAsync(HttpClient http, byte[] bundle)
    {
        try
        {
            using var content = new ByteArrayContent(bundle);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync("/api/bundles", content);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL <paramref name="killed"/> once <paramref name="landed"/> (an object the in-flight ingest writes
    /// on its way) is readable through <paramref name="silo"/>, or once the ingest is answered (false: then nothing
    /// was in flight).</summary>
    internal static async Task<bool> KillMidIngestAsync(SiloProcess silo, SiloProcess killed, Task inFlight, string landed)
    {
        await Poll.UntilAsync(async () =>
        {
            if (inFlight.IsCompleted) return true;
            using var r = await silo.Http.GetAsync($"/api/objects/{landed}");
            return r.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(120), $"{landed} written by the in-flight ingest", TimeSpan.FromMilliseconds(50));
        var answered = inFlight.IsCompleted;
        await killed.KillAsync();
        return !answered;
    }

    /// <summary>A relationship 60% of the way through (ingest writes relationships last, in bundle order, 500 a call):
    /// for the ICS bundle's second half, one in the second call.</summary>
    internal static string MidWay(IReadOnlyList<JsonObject> objects) =>
        objects.Skip(objects.Count * 6 / 10).Select(o => o["id"]!.GetValue<string>())
            .First(id => id.StartsWith("relationship--", StringComparison.Ordinal));

    static List<string> IdsOf(IEnumerable<JsonObject> objects) =>
        [.. objects.Select(o => o["id"]!.GetValue<string>()).Distinct()];

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
