using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>Random and hostile requests: the host never answers 5xx, never crashes, and never shows a hidden object.</summary>
[Collection(ApiCollection.Name)]
public sealed class FuzzTests(ApiFactory api)
{
    [Fact]
    public async Task Random_bytes_deep_nesting_and_mangled_queries_never_give_5xx_or_leak()
    {
        var secret = StixBuilder.Sdo("campaign", name: "fuzz secret");
        secret["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var secretId = secret["id"]!.GetValue<string>();
        await api.PostBundleAsync(ApiFactory.Bundle(secret), apiKey: DevKeys.JpAnalyst);

        var random = new Random(20261125);
        var templates = new[]
        {
            $"{{ object(id: \"{secretId}\") {{ id name stix relationships {{ totalCount }} }} }}",
            $"{{ neighborhood(id: \"{secretId}\", depth: 3) {{ nodes {{ id }} }} }}",
            "{ search(text: \"fuzz\") { totalCount edges { node { id name } } } }",
            "{ typeCounts(includeRevoked: true) { type count } }",
        };
        using var us = api.ClientFor(DevKeys.UsAnalyst);
        // A current client: a refused document is a 400 (a legacy client would get 200 with the errors; see README).
        us.DefaultRequestHeaders.TryAddWithoutValidation("Accept", ApiFactory.GraphQLAccept);
        var bodies = new List<(string Request, HttpStatusCode Status, string Body)>();

        async Task SendAsync(string path, byte[] payload, string contentType)
        {
            using var content = new ByteArrayContent(payload);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await us.PostAsync(path, content);
            bodies.Add((Encoding.UTF8.GetString(payload.Take(200).ToArray()), response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        for (var i = 0; i < 150; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            await SendAsync(i % 2 == 0 ? "/graphql" : "/api/bundles", bytes, "application/json");

            var query = templates[random.Next(templates.Length)].ToCharArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                query[random.Next(query.Length)] = "{}()[]\":!$@ \\\n"[random.Next(14)];
            }
            await SendAsync("/graphql", Encoding.UTF8.GetBytes(new JsonObject { ["query"] = new string(query) }.ToJsonString()), "application/json");
        }
        var deep = new string('[', 5000) + new string(']', 5000);
        await SendAsync("/api/bundles", Encoding.UTF8.GetBytes(deep), "application/json");
        var nested = "{ object(id: \"x\") " + string.Concat(Enumerable.Repeat("{ createdBy ", 300)) + "{ id }" + new string('}', 301) + " }";
        await SendAsync("/graphql", Encoding.UTF8.GetBytes(new JsonObject { ["query"] = nested }.ToJsonString()), "application/json");
        var aliases = "{ " + string.Join(" ", Enumerable.Range(0, 2000).Select(i => $"a{i}: typeCounts {{ type }}")) + " }";
        await SendAsync("/graphql", Encoding.UTF8.GetBytes(new JsonObject { ["query"] = aliases }.ToJsonString()), "application/json");

        Assert.All(bodies, b => Assert.True((int)b.Status < 500, $"{b.Status} for {b.Request}: {b.Body}"));
        // Executed requests must not show the hidden id anywhere; refused ones (parse errors) may only echo the caller's own text.
        Assert.All(bodies.Where(b => b.Status == HttpStatusCode.OK), b => Assert.DoesNotContain(secretId, b.Body, StringComparison.Ordinal));
        Assert.All(bodies.Where(b => b.Status != HttpStatusCode.OK), b => Assert.DoesNotContain("\"data\":{", b.Body, StringComparison.Ordinal));

        // Still alive and answering.
        var alive = await api.DataAsync("{ typeCounts { type } }");
        Assert.NotNull(alive["typeCounts"]);
    }
}
