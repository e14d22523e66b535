using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>Issue 11 row 10: one object may hold at most Ingest:MaxObjectBytes (1 MiB by default) of JSON. An oversize
/// object is rejected with its path and the limit; the others of its bundle are kept.</summary>
[Collection(ApiCollection.Name)]
public sealed class ObjectSizeLimitTests(ApiFactory api)
{
    const int Limit = 1024 * 1024;

    [Fact]
    public async Task Five_bundles_with_a_31_MiB_description_are_each_rejected_and_nothing_of_them_is_stored()
    {
        var description = new string('x', 31 * 1024 * 1024);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 5; i++)
        {
            var big = StixBuilder.Sdo("campaign", name: $"huge {i}");
            big["description"] = "DESCRIPTION";
            var small = StixBuilder.Sdo("campaign", name: $"small {i}");
            // Spliced in as text: serialising 31 MiB through System.Text.Json would leave pooled buffers behind in
            // this process (the host's too) and blur the heap measurement below.
            var bundle = ApiFactory.Bundle(big, small).Replace("\"DESCRIPTION\"", "\"" + description + "\"", StringComparison.Ordinal);
            var (status, body) = await api.PostBundleAsync(bundle);
            Assert.True(status == HttpStatusCode.OK, $"{status}: {body.ToJsonString()[..Math.Min(500, body.ToJsonString().Length)]}");
            var objects = body["objects"]!.AsArray();
            Assert.Equal("rejected", objects[0]!["outcome"]!.GetValue<string>());
            var error = objects[0]!["errors"]!.AsArray().Single()!;
            Assert.Equal("$.objects[0]", error["path"]!.GetValue<string>());
            Assert.Contains($"limit is {Limit} bytes (Ingest:MaxObjectBytes)", error["message"]!.GetValue<string>());
            Assert.Equal("created", objects[1]!["outcome"]!.GetValue<string>());

            using var client = api.CreateClient();
            using var read = await client.GetAsync($"/api/objects/{big["id"]}");
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }
        // Nothing of them is held: before the limit, each was kept as a 62 MB string (UTF-16) in its node, 310 MB in
        // all. Other collections run beside this test, hence the margin.
        var grown = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(grown < 150L * 1024 * 1024, $"the managed heap grew by {grown / (1024 * 1024)} MiB");
    }

    [Fact]
    public async Task An_object_just_over_the_limit_is_rejected_through_graphql_and_one_at_the_limit_is_accepted()
    {
        var type = "x-sz" + Guid.NewGuid().ToString("N")[..12];
        var atLimit = Sized(type, Limit);
        var over = Sized(type, Limit + 1);
        var data = await api.DataAsync("""
            mutation($b: String!) { ingestBundle(bundle: $b) { objects { outcome errors { path message } } } }
            """, new { b = ApiFactory.Bundle(atLimit, over) });
        var objects = data["ingestBundle"]!["objects"]!.AsArray();
        Assert.Equal("CREATED", objects[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("REJECTED", objects[1]!["outcome"]!.GetValue<string>());
        Assert.Equal("$.objects[1]", objects[1]!["errors"]![0]!["path"]!.GetValue<string>());
        Assert.Contains($"{Limit + 1} bytes of JSON", objects[1]!["errors"]![0]!["message"]!.GetValue<string>());
    }

    /// <summary>An object whose compact JSON is exactly <paramref name="bytes"/> bytes long.</summary>
    internal static JsonObject Sized(string type, int bytes)
    {
        var o = StixBuilder.Sdo(type, name: "sized");
        o["description"] = "";
        var padding = bytes - System.Text.Encoding.UTF8.GetByteCount(o.ToJsonString());
        o["description"] = new string('p', padding);
        Assert.Equal(bytes, System.Text.Encoding.UTF8.GetByteCount(o.ToJsonString()));
        return o;
    }
}
